export * from './common';
export { ganFamily } from './gan';
export { ddpmFamily, ddpmSchedule, DDPM_T } from './ddpm';
export { diffganFamily } from './diffgan';
export { pipelineFamily, pipelineSample, REFINE_T } from './pipeline';
export { FAMILIES, familyByName } from './families';
export {
  seedTableCommand,
  parseSeedTableArgs,
  seedTableMain,
  runSeedTable,
  trainFamily,
  loadNets,
  disposeNets,
  sampleMany,
  writeSampleGrid,
  scoreImages,
  collapseOf,
  evaluateTargets,
  lossTail,
  loggedRuntimes,
  measuredContext,
} from './run';
export { discriminatorAccuracy, checkpointModels, dAccuracyMain } from './diagnose';
export type { DiscriminatorAccuracy } from './diagnose';
export type { SeedTableOptions, SeedTableRow, SampleMetrics, TrainOptions } from './run';
