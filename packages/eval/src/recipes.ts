/** @diffgan/eval's training recipes (core-models registry): the MNIST and Fashion-MNIST feature classifiers. */
import { registerRecipe } from '@diffgan/core-models/train';
import { classifierRecipe } from './classifier-train';
import { DATASETS } from './mnist';

export const CLASSIFIER_RECIPES = DATASETS.map((d) => registerRecipe(classifierRecipe(d)));
