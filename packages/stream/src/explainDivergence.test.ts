import { describe, expect, it } from "vitest";
import { lastValueFrom, toArray } from "rxjs";
import { dataset, defineActivation } from "@gradscope/core";
import { isRow, train, type RunConfig, type TrainOptions } from "@gradscope/stream";

/** The diverged alert's message of a run (which must diverge). */
async function divergence(config: RunConfig, options: TrainOptions = {}): Promise<string> {
  const rows = await lastValueFrom(train({ depth: 2, width: 8, steps: 50, precision: "float64", ...config }, options).pipe(toArray()));
  const alert = rows.filter(isRow("alert")).find((a) => a.kind === "diverged");
  expect(rows.at(-1)).toMatchObject({ type: "status", status: "diverged" });
  return alert!.message;
}

describe("where a NaN loss came from", () => {
  it("a custom activation's NaN output is blamed on the activation, not the learning rate", async () => {
    // √z is NaN for z < 0: a user's mistake, present from the first forward pass
    const sqrt = defineActivation({ name: "sqrt", f: (x) => Math.sqrt(x), df: (x) => 0.5 / Math.sqrt(x) });
    const message = await divergence({}, { activation: sqrt });
    expect(message).toMatch(/^training diverged at step 1: loss is NaN\. Source: activation output: "sqrt" in hidden0 returned NaN or ±Infinity for finite inputs/);
    expect(message).not.toContain("learning rate");
  });
  it("a NaN derivative is blamed on the backward pass", async () => {
    const bad = defineActivation({ name: "badSlope", f: (x) => x, df: () => NaN });
    const message = await divergence({}, { activation: bad });
    // step 1's loss is finite; its NaN gradient makes the weights NaN, seen in step 2's forward pass
    expect(message).toMatch(/^training diverged at step 2: loss is NaN\. Source: the backward pass: the gradient of hidden0\.W was NaN or ±Infinity in the last step \(the derivative of activation "badSlope" in hidden0\?\)/);
    expect(message).not.toContain("learning rate");
  });
  it("a learning rate far too large is blamed on the learning rate", async () => {
    const message = await divergence({ optimizer: "sgd", lr: 1e6, precision: "float32" });
    expect(message).toMatch(/Source: .*try a smaller learning rate \(now 1000000\)$/);
  });
  it("non-finite data is bad input, named before the model is built", async () => {
    const data = dataset("moons", { n: 40, seed: 1 });
    data.x[7] = NaN;
    await expect(lastValueFrom(train({ steps: 5 }, { data: { train: data } }))).rejects.toThrow(
      'the training data (given) has feature value NaN (example 3, feature 1)',
    );
    // finite, but more than float32 holds (its largest is 3.4028234663852886e38): an error in a float32 run only
    const big = dataset("moons", { n: 40, seed: 1 });
    big.x[2] = 1e39;
    await expect(lastValueFrom(train({ steps: 5, precision: "float32" }, { data: { train: big } }))).rejects.toThrow(
      "the training data (given) has feature value 1e+39, beyond float32's range (example 1, feature 0)",
    );
    const rows = await lastValueFrom(train({ steps: 1, precision: "float64" }, { data: { train: big } }).pipe(toArray()));
    expect(rows.filter(isRow("step"))).toHaveLength(1); // float64 holds it: the run starts
    // noise so large that float32 (or even float64) cannot hold the points
    expect(() => train({ noise: 1e308 })).not.toThrow(); // the config is fine: the data it makes is not
    await expect(lastValueFrom(train({ noise: 1e308, steps: 5 }))).rejects.toThrow(/^the training data \("spiral"\) has feature value (NaN|-?Infinity).*; noise 1e\+308 is too large$/);
  });
});
