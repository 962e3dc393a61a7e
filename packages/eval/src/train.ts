/**
 * `@diffgan/eval/train`: training the feature classifiers (their recipes, registered with
 * core-models' registry on import, and trainClassifier). Typed with tfjs, an optional peer
 * dependency of core-models: install @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm to train.
 */
export { trainClassifier, classifierRecipe } from './classifier-train';
export type { TrainClassifierOptions, ClassifierConfig } from './classifier-train';
export { CLASSIFIER_RECIPES } from './recipes';
