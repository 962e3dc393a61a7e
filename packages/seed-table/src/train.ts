/**
 * `@diffgan/seed-table/train`: the table's families as `diffgan train` recipes (registered with
 * core-models' registry on import).
 */
export { SEED_TABLE_RECIPES, familyRecipe } from './recipes';
export type { FamilyConfig } from './recipes';
