/**
 * The browser-safe part of @diffgan/image (no sharp, no fs, no Buffer): pixel images,
 * resampling, colour, composition, the bitmap font and line plots. Browser entries import
 * `@diffgan/image/portable`; Node code imports the package index, which adds file I/O.
 */
export { assertImageShape, toUint8 } from './pixel-image';
export type { PixelArray, PixelImage } from './pixel-image';

export { cubicKernel, axisWeights, imresize } from './resize';
export type { AxisWeights, ResizeOptions } from './resize';

export { rgbToY, toRgb, crop, modcrop, shave } from './color';

export { makeGrid, sideBySide } from './compose';
export type { GridOptions, Panel, SideBySideOptions, Rgb } from './compose';
export { drawText, measureText } from './bitmap-font';
export { linePlot, niceTicks, logTicks } from './line-plot';
export type { Series, LinePlotOptions } from './line-plot';
