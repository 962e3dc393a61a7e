/** Per-frame fidelity for Frames; the definition itself lives in @diffgan/eval so all packages agree. */
import { psnr } from '@diffgan/eval';
import { Frame, assertSameSize } from './frame';

/** PSNR in dB over all RGB samples (peak 255); Infinity for identical frames. */
export function framePsnr(a: Frame, b: Frame): number {
  assertSameSize(a, b);
  return psnr({ ...a, channels: 3 }, { ...b, channels: 3 });
}
