import { describe, expect, it } from "vitest";
import { recommendActivation, scoreRace, type KernelCost } from "@gradscope/stream";
import { syntheticContender as contender } from "../internal/testing/syntheticRun.js";

// kernel costs as measured on the wasm backend (ns per element, forward + backward)
const cost = (activation: string, ns: number): KernelCost => ({ activation, forwardNs: ns / 2, backwardNs: ns / 2, ns, relativeToRelu: ns / 0.3, backend: "test" });
const costs = [cost("relu", 0.3), cost("leakyRelu", 0.36), cost("elu", 0.94), cost("prelu", 7.4), cost("rrelu", 2), cost("sigmoid", 0.9)];
const net = { batchSize: 32, width: 32, depth: 3 }; // 3,072 elements per step

describe("recommendActivation", () => {
  it("starts with ReLU: a tie keeps it, as the cheapest of the tied", () => {
    const race = scoreRace([...contender("elu", [0.29, 0.33, 0.3]), ...contender("relu", [0.3, 0.32, 0.31]), ...contender("sigmoid", [0.6, 0.64, 0.62])]);
    const advice = recommendActivation(race, { costs, net });
    expect(advice.activation).toBe("relu");
    expect(advice.tiedWith).toEqual(["elu"]);
    expect(advice.stepMicros.relu).toBeCloseTo(0.3 * 3072 / 1000, 12);
    expect(advice.reasons.join("\n")).toMatch(/relu, elu tie on held-out loss at the best step \(3 seeds.*relu is the cheapest of them \(0\.3 ns per element, 0\.92 µs/);
  });

  it("names Leaky ReLU when ReLU loses by a margin the seeds support and Leaky ReLU ties with ELU", () => {
    const race = scoreRace([...contender("relu", [0.4, 0.43, 0.41]), ...contender("leakyRelu", [0.3, 0.32, 0.31]), ...contender("elu", [0.29, 0.33, 0.3])]);
    const advice = recommendActivation(race, { costs, net });
    expect(advice.activation).toBe("leakyRelu");
    expect(advice.tiedWith).toEqual(["elu"]);
    // relu − elu = [0.11, 0.10, 0.11]: mean 0.10667, sd 0.005774, half-width 0.014342
    expect(advice.reasons.join("\n")).toMatch(/start with relu: it loses on held-out loss at the best step: 0\.413 ± 0\.038 against elu's 0\.307 ± 0\.052 \(relu − elu = 0\.11, 95 % interval \[0\.092, 0\.12\] over 3 seeds\)/);
  });

  it("passes over mostly dead ReLU; names ELU alone and says whether its extra cost is acceptable", () => {
    const race = scoreRace([...contender("relu", [0.3, 0.31, 0.3], { dead: 0.8 }), ...contender("elu", [0.3, 0.305, 0.31], { ms: 2 }), ...contender("sigmoid", [0.6, 0.64, 0.62], { gradientRatio: 1e-5 })]);
    const advice = recommendActivation(race, { costs, net });
    expect(advice.flags).toEqual({ relu: ["dead"], elu: [], sigmoid: ["vanishing"] });
    expect(advice.activation).toBe("elu");
    const text = advice.reasons.join("\n");
    expect(text).toMatch(/relu: 80 % of hidden units dead at the end/);
    expect(text).toMatch(/sigmoid: gradients vanish – first ÷ last hidden-layer ‖∂L\/∂z‖ = 10\^-5\.0/);
    // (0.94 − 0.3) ns × 3,072 = 1.97 µs of a 2 ms step: 0.098 %
    expect(text).toMatch(/elu's exponential costs 2 µs per step more than relu's kernels, 0\.098 % of a measured 2 ms step: acceptable/);
  });

  it("prefers RReLU when the others overfit and it ties; PReLU only with plenty of data", () => {
    const over = { rise: 0.3 };
    const race = scoreRace([...contender("leakyRelu", [0.3, 0.32, 0.31], over), ...contender("rrelu", [0.3, 0.31, 0.32], { rise: 0.01 }), ...contender("prelu", [0.3, 0.315, 0.31], over)]);
    const advice = recommendActivation(race, { costs, net, trainSize: 500 });
    expect(advice.flags.leakyRelu).toEqual(["overfitting"]);
    expect(advice.activation).toBe("rrelu");
    expect(advice.reasons.join("\n")).toMatch(/prelu learns its slope: worth it with plenty of data \(≥ 10,000 examples; here 500\), so it is not preferred/);
    const only = scoreRace([...contender("prelu", [0.2, 0.21, 0.2]), ...contender("leakyRelu", [0.2, 0.205, 0.21])]);
    expect(recommendActivation(only, { costs, trainSize: 500 }).activation).toBe("leakyRelu");
    expect(recommendActivation(only, { costs, trainSize: 50_000, thresholds: { plentyOfData: 10_000 } }).activation).toBe("leakyRelu"); // allowed, but the cheaper of a tie
  });
});
