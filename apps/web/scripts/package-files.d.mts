export declare const ORT_FILES: RegExp;
export declare function packageDir(name: string): string;
