/** File names of the shipped weights (runtime-free: the browser entry uses them too). */
export const generatorName = (scale: 2 | 4): string => `sr_generator_x${scale}`;
export const refinerName = (scale: 2 | 4): string => `sr_refiner_x${scale}`;
