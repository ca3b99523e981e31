import type { Dataset } from "./dataset.js";

/** Options for {@link standardize}. */
export interface StandardizeOptions {
  /** The data set whose per-feature mean and standard deviation are used, e.g. the training part. Default: `ds` itself. */
  using?: Dataset;
}

/**
 * Rescales every feature to mean 0 and standard deviation 1, measured on `using` (population std). Fit on the
 * training set and apply the same statistics to the test set, so no test information leaks into training.
 * A constant feature (std 0, like MNIST's corner pixels) is only centred.
 * @example
 * const { train, test } = trainTestSplit(moons());
 * const trainZ = standardize(train), testZ = standardize(test, { using: train });
 */
export function standardize(ds: Dataset, { using = ds }: StandardizeOptions = {}): Dataset {
  const { features } = ds;
  if (using.features !== features) {
    throw new RangeError(`standardize: using has ${using.features} features, the data set has ${features}`);
  }
  if (using.n === 0) throw new RangeError("standardize: using has no examples");
  // phase 1: per-feature mean and std of `using`
  const mean = new Float64Array(features);
  const std = new Float64Array(features);
  for (let i = 0; i < using.x.length; i++) mean[i % features]! += using.x[i]!;
  for (let f = 0; f < features; f++) mean[f]! /= using.n;
  for (let i = 0; i < using.x.length; i++) std[i % features]! += (using.x[i]! - mean[i % features]!) ** 2;
  for (let f = 0; f < features; f++) std[f] = Math.sqrt(std[f]! / using.n) || 1;
  // phase 2: apply them to `ds`
  const x = new Float64Array(ds.x.length);
  for (let i = 0; i < x.length; i++) x[i] = (ds.x[i]! - mean[i % features]!) / std[i % features]!;
  return { ...ds, x, y: ds.y.slice() };
}
