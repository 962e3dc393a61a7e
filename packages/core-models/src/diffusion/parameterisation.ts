/**
 * What a denoiser predicts. Its own file, free of tfjs, because the samplers (which run on
 * onnxruntime or in a browser) need the name and the training objective needs the maths.
 * eps: the noise; x0: the clean image; v: sqrt(ab)·eps − sqrt(1−ab)·x0 (Salimans & Ho 2022).
 */
export type Parameterisation = 'eps' | 'x0' | 'v';
