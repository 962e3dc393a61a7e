/** Pixel storage accepted by the image helpers; uint8 for files, float for model outputs and metrics. */
export type PixelArray = Uint8Array | Float32Array | Float64Array;

/**
 * An image as one flat array in row-major HWC order (channels interleaved),
 * the layout sharp's raw output and tfjs' [H, W, C] tensors both use, so no
 * reshuffling is needed at either boundary.
 */
export interface PixelImage<T extends PixelArray = PixelArray> {
  data: T;
  width: number;
  height: number;
  channels: number;
}

/** Throws if the declared shape does not match the data length (catches swapped width/height early). */
export function assertImageShape(img: PixelImage, what = 'image'): void {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || !Number.isInteger(channels) || width < 1 || height < 1 || channels < 1) {
    throw new Error(`${what}: invalid shape ${width}x${height}x${channels}`);
  }
  if (data.length !== width * height * channels) {
    throw new Error(`${what}: data length ${data.length} != ${width}x${height}x${channels}`);
  }
}

/** Allocates an array of the same kind as `like`. */
export function allocLike<T extends PixelArray>(like: T, length: number): T {
  if (like instanceof Uint8Array) return new Uint8Array(length) as T;
  if (like instanceof Float32Array) return new Float32Array(length) as T;
  return new Float64Array(length) as T;
}

/** Rounds half away from zero (as MATLAB's uint8 conversion does) and saturates to [0, 255]. */
export function toUint8(x: number): number {
  if (!(x > 0)) return 0; // also maps NaN to 0, like MATLAB's uint8(NaN)
  if (x >= 255) return 255;
  return Math.floor(x + 0.5);
}
