/** @diffgan/image: pixel images, MATLAB-compatible resampling, colour, PNG/JPEG I/O (sharp), grids, text and line plots. */
export * from './portable';
export { readImage, encodePng, writePng } from './image-io';
