import { PixelImage, modcrop, toRgb, imresize } from '@diffgan/image';

/** A ground-truth image and the low-resolution input derived from it. */
export interface SrPair {
  /** RGB, mod-cropped to a multiple of the scale. */
  hr: PixelImage<Uint8Array>;
  /** RGB uint8, MATLAB bicubic imresize(hr, 1/scale) with antialiasing. */
  lr: PixelImage<Uint8Array>;
  scale: number;
}

/**
 * Steps 1-2 of the SR evaluation protocol (shared/data/sr/README.md): grey is
 * replicated to RGB, HR is mod-cropped per scale, LR is MATLAB-bicubic
 * downscaled and rounded to uint8. Feed `lr` to the model, compare with `hr`.
 */
export function makeSrPair(image: PixelImage<Uint8Array>, scale: number): SrPair {
  const hr = modcrop(toRgb(image), scale);
  const lr = imresize(hr, { scale: 1 / scale, output: 'uint8' });
  return { hr, lr, scale };
}

/** The plain bicubic baseline: MATLAB imresize of the LR image back up by `scale`, uint8. */
export function bicubicUpscale(lr: PixelImage<Uint8Array>, scale: number): PixelImage<Uint8Array> {
  return imresize(lr, { scale, output: 'uint8' });
}
