/** One decoded picture: packed RGB24, row-major, no padding between rows. */
export interface Frame {
  data: Uint8Array;
  width: number;
  height: number;
}

export function frameByteLength(width: number, height: number): number {
  return width * height * 3;
}

export function createFrame(width: number, height: number, fill = 0): Frame {
  return { data: new Uint8Array(frameByteLength(width, height)).fill(fill), width, height };
}

export function assertSameSize(a: Frame, b: Frame): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`frame sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

export function assertFrameShape(frame: Frame, width: number, height: number, who: string): void {
  if (frame.width !== width || frame.height !== height || frame.data.length !== frameByteLength(width, height)) {
    throw new RangeError(`${who} returned a ${frame.width}x${frame.height} frame (${frame.data.length} bytes); expected ${width}x${height} RGB24`);
  }
}
