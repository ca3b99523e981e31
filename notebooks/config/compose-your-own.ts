/**
 * The compose-your-own notebook's presets, the way it compiles what a reader types, and its race, in one
 * place: the notebook uses them and apps/notebooks/test/claims/compose-your-own.test.ts checks the page's
 * claims with the very same activations and runs.
 */
import { composeActivation, defineActivation, exprOps, type Activation } from "@gradscope/core";
import type { RunConfig } from "@gradscope/stream";

/** The "start from" presets: f as an expression of x, f′ as JavaScript of x (empty: derived). */
export const presets: Record<string, { f: string; df: string }> = {
  "Swish, β = 1.5": { f: "x.mul(sigmoid(x.mul(1.5)))", df: "" },
  "Mish": { f: "x.mul(tanh(softplus(x)))", df: "" },
  "ELU, written out": { f: "where(x.gt(0), x, expm1(x))", df: "" },
  "a soft-clipped ReLU": { f: "softplus(x.mul(4)).div(4).min(3)", df: "" },
  "Leaky ReLU with the tutorial's f′": { f: "where(x.gt(0), x, x.mul(0.1))", df: "x > 0 ? 1 : 0.1 * Math.exp(x)" },
  "Leaky ReLU with its true f′": { f: "where(x.gt(0), x, x.mul(0.1))", df: "x > 0 ? 1 : 0.1" },
};

/** The preset the page opens with. */
export const defaultPreset = "Swish, β = 1.5";

/** What a reader's f (and optional hand-written f′) compile to. */
export interface Compiled {
  /** f with its derived f′. */
  composed: Activation;
  /** The hand-written f′, when one was given. */
  handDf?: (x: number) => number;
  /** What trains: f with the hand-written f′ if given, else `composed`. */
  yours: Activation;
  /** The TypeScript that defines `yours` in a project of one's own ({@link activationCode}). */
  code: string;
}

/**
 * Compiles the text of f (an expression of `x`, with exprOps' functions in scope) and of an optional f′
 * (JavaScript of `x`). `new Function` runs the text on this page only, as a formula. Throws on a syntax error,
 * and on an f′ that throws or gives no number when called.
 * @example
 * const { yours } = compileActivation("x.mul(sigmoid(x))", "");
 */
export function compileActivation(fSource: string, dfSource = ""): Compiled {
  const names = Object.keys(exprOps);
  const buildF = new Function("ops", "x", `const {${names.join(", ")}} = ops;\nreturn (${fSource});`) as
    (ops: typeof exprOps, x: unknown) => never;
  const composed = composeActivation("yours", (x) => buildF(exprOps, x), { kinks: [0] });
  const handDf = dfSource.trim() ? (new Function("x", `return (${dfSource});`) as (x: number) => number) : undefined;
  // an f′ that parses can still fail when called (Math.exq(x), y): try it here, so the typo is reported
  // beside the inputs instead of breaking every cell that samples it
  if (handDf) {
    for (const x of [-2, -0.5, 0.5, 2]) {
      const v = handDf(x);
      if (typeof v !== "number") throw new TypeError(`f′ must give a number, got ${v === null ? "null" : typeof v} at x = ${x}`);
    }
  }
  const yours = handDf ? defineActivation({ name: "yours", f: composed.f, df: (x: number) => handDf(x), kinks: [0] }) : composed;
  const code = activationCode(fSource, dfSource);
  return handDf ? { composed, handDf, yours, code } : { composed, yours, code };
}

/**
 * The code a user of `@gradscope/core` writes in a project of their own to get the very activation
 * {@link compileActivation} makes of the same text: the import line and the definition, built the same way
 * (the same calls, name and kinks), so it computes the same f and f′ to the last bit – a test imports it
 * and checks that. Only the exprOps functions the formula calls are destructured.
 * @example
 * activationCode("x.mul(sigmoid(x))")
 * // import { composeActivation, exprOps } from "@gradscope/core";
 * //
 * // const { sigmoid } = exprOps;
 * // …
 * // export const yours = composeActivation(
 * //   "yours",
 * //   (x) => x.mul(sigmoid(x)),
 * //   …
 */
export function activationCode(fSource: string, dfSource = ""): string {
  const f = fSource.trim(), df = dfSource.trim();
  // free calls of exprOps functions: a name not after a dot (x.tanh() is a method) or inside a longer name
  const used = Object.keys(exprOps).filter((name) => new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(f));
  // an arrow's body: several lines in parentheses, as compileActivation reads them (`return (text)`)
  const body = (text: string, indent: string, wrap = false) => {
    if (text.includes("\n")) return `(\n${text.split("\n").map((l) => `${indent}  ${l.trimEnd()}`).join("\n")}\n${indent})`;
    return wrap ? `(${text})` : text;
  };
  const imports = [...(df ? ["composeActivation", "defineActivation"] : ["composeActivation"]), ...(used.length ? ["exprOps"] : [])];
  const lines = [`import { ${imports.join(", ")} } from "@gradscope/core";`, ""];
  if (used.length) lines.push(`const { ${used.join(", ")} } = exprOps;`, "");
  // short lines: the code sits beside the plot, in half the page's width
  if (!df) {
    lines.push(
      "// f as an expression of x; f′ is derived for you",
      "export const yours = composeActivation(",
      '  "yours",',
      `  (x) => ${body(f, "  ")},`,
      "  { kinks: [0] }, // points the gradient check skips",
      ");",
    );
  } else {
    lines.push(
      "// f as an expression of x, f′ by hand",
      `const composed = composeActivation("yours", (x) => ${body(f, "")}, {`,
      "  kinks: [0],",
      "});",
      "export const yours = defineActivation({",
      '  name: "yours",',
      "  f: composed.f,",
      `  df: (x) => ${body(df, "  ", df.includes("?"))},`,
      "  kinks: [0],",
      "});",
    );
  }
  lines.push(
    "",
    "// use it as a built-in: mlp({ …, activation: yours })",
    "// or train(config, { activation: yours }); check its f′",
    '// with checkActivation(yours) ("@gradscope/core/testing")',
  );
  return lines.join("\n");
}

/** The race's inputs as the page opens. */
export const defaults = {
  dataset: "spiral",
  depth: 4,
  units: 24,
  init: "he",
  biasInit: 0,
  lr: 0.01,
  seed: 1,
} as const;

export type ComposeInputs = {
  dataset: string;
  depth: number;
  units: number;
  init: string;
  biasInit: number;
  lr: number;
  seed: number;
};

/**
 * The race: ReLU (a built-in, trained in a worker) and "yours" – the same config, whose activation is
 * replaced by the compiled one (`train(config, { activation: yours })`).
 */
export function composeRuns(inputs: Partial<ComposeInputs> = {}): { relu: RunConfig; yours: RunConfig } {
  const { dataset, depth, units, init, biasInit, lr, seed } = { ...defaults, ...inputs };
  const base: RunConfig = { dataset, depth, width: units, init, biasInit, lr, seed, steps: 30000, evalEvery: 250, probes: { every: 10 } };
  return { relu: { ...base, activation: "relu", run: "relu" }, yours: { ...base, activation: "relu", run: "yours" } };
}

