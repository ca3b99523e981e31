// The race protocol: equal budgets, held-out numbers at the best step and at the end, seeds in parallel,
// intervals, paired comparisons with ties, kernel cost, and the tutorial's recommendation.
export { estimate, studentTCdf, studentTQuantile, type Estimate } from "./estimate.js";
export { pairedComparison, type PairedComparison, type PairedComparisonOptions } from "./pairedComparison.js";
export { RunScorer, scoreRun, type RunScore, type ScoredPoint, type ScoreRunOptions } from "./scoreRun.js";
export { scoreRace, scoreScoredRace, type ContenderScore, type RaceRun, type RaceScore, type ScoreRaceOptions, type ScoredRaceRun } from "./scoreRace.js";
export { kernelCost, stepKernelMicros, timeKernels, type KernelCost, type KernelCostOptions, type KernelTimer, type KernelTiming } from "./kernelCost.js";
export { adviceThresholds, recommendActivation, type ActivationAdvice, type RecommendOptions } from "./recommendActivation.js";
export { raceJobs, raceRows, runRace, type Contender, type FinishedRaceRun, type RaceJob, type RaceRowsOptions, type RunRaceOptions } from "./runRace.js";
