import { defineActivation } from "../activation.js";

type RreluParams = { lower: number; upper: number; inverse: number };

/** The slope used in eval mode: the mean slope (PyTorch law) or 1 / the mean divisor (paper law). */
const evalSlope = ({ lower, upper, inverse }: RreluParams): number =>
  inverse ? 2 / (lower + upper) : (lower + upper) / 2;

const leaky = (x: number, slope: number): number => (x + Math.abs(x) + slope * (x - Math.abs(x))) * 0.5;
const leakySlope = (x: number, slope: number): number => +(x > 0) + slope * +(x <= 0); // at 0 the left slope

/**
 * Randomised leaky ReLU (Xu et al. 2015): f(x) = x for x > 0, s·x otherwise, where the slope s is
 * drawn afresh for every element in every training forward pass and fixed in eval mode;
 * f′(x) = 1 for x > 0, s otherwise (the same s as the forward pass).
 *
 * Two laws for s, chosen by `inverse`:
 * - `inverse: 0` (default, PyTorch's `nn.RReLU`): s ~ U(lower, upper), lower = 1/8, upper = 1/3;
 *   eval slope (lower + upper)/2 = 11/48 ≈ 0.229.
 * - `inverse: 1` (the paper's law): y = x/a with a ~ U(lower, upper), i.e. s = 1/a; the paper uses
 *   a ~ U(3, 8) and a = (3 + 8)/2 = 5.5 at test time, slope 1/5.5 ≈ 0.182. Eval slope is
 *   2/(lower + upper), which is not the mean training slope (E[1/a] = ln(8/3)/5 ≈ 0.196).
 *   Preset: {@link rreluPaper}.
 * A well-known tutorial describes the slope as uniform "with mean 0 and standard deviation 1" and
 * writes α ~ U(0, 1); that matches neither law (and U(0, 1) has mean 1/2, std 1/√12).
 *
 * `check`: 0 ≤ lower ≤ upper, inverse ∈ {0, 1}, and lower > 0 when inverse = 1.
 * Kink at 0: f′(0) = s, the left slope (as PyTorch).
 *
 * Use it when a net overfits: the random leak acts as a regulariser (Xu et al. found it beat
 * fixed and learned leaks on small data sets).
 * @example
 * const rng = createRng(1);
 * const s = rrelu.train!.noise(rng, rrelu.params); // a slope in [1/8, 1/3)
 */
export const rrelu = defineActivation<RreluParams>({
  name: "rrelu",
  description: "x > 0 ? x : s·x, s random per element while training, its mean in eval",
  formula: "x > 0 ? x : s·x; train: s ~ U(lower, upper) (inverse: s = 1/U(lower, upper)); eval: mean",
  derivative: "x > 0 ? 1 : s",
  params: { lower: 1 / 8, upper: 1 / 3, inverse: 0 },
  check: ({ lower, upper, inverse }) => {
    if (inverse !== 0 && inverse !== 1) return `inverse must be 0 or 1, got ${inverse}`;
    if (!(lower >= 0)) return `lower must be ≥ 0, got ${lower}`;
    if (!(lower <= upper)) return `lower must be ≤ upper, got lower ${lower} > upper ${upper}`;
    if (inverse && !(lower > 0)) return `lower must be > 0 when inverse = 1 (slope = 1/a), got ${lower}`;
    return undefined;
  },
  f: (x, p) => leaky(x, evalSlope(p)),
  df: (x, p) => leakySlope(x, evalSlope(p)),
  kinks: [0],
  train: {
    noise: (rng, { lower, upper, inverse }) => (inverse ? 1 / rng.uniform(lower, upper) : rng.uniform(lower, upper)),
    f: (x, _p, s) => leaky(x, s),
    df: (x, _p, s) => leakySlope(x, s),
  },
});

/** RReLU with the paper's law (Xu et al. 2015): y = x/a, a ~ U(3, 8) while training, a = 5.5 in eval. */
export const rreluPaper = rrelu.with({ lower: 3, upper: 8, inverse: 1 });
