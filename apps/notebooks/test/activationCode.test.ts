// The code compose-your-own shows beside its plot is real: written to a .ts file in this app (so
// "@gradscope/core" resolves as in a user's project), type-checked by the TypeScript compiler and imported,
// it defines an activation whose f and f′ equal the notebook's own (compileActivation) at every point.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import type { Activation } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";
import { activationCode, compileActivation, presets } from "../../../notebooks/config/compose-your-own.ts";

const app = fileURLToPath(new URL("..", import.meta.url));
const dir = `${app}test-results/activation-code-${process.pid}`; // gitignored; removed afterwards
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compositions a reader might use: presets with f′ derived and by hand, and a two-line formula of their own. */
const compositions: Record<string, { f: string; df: string }> = {
  swish: presets["Swish, β = 1.5"]!,
  mish: presets["Mish"]!,
  eluWrittenOut: presets["ELU, written out"]!,
  softClip: presets["a soft-clipped ReLU"]!,
  tutorialLeaky: presets["Leaky ReLU with the tutorial's f′"]!,
  twoLines: { f: "where(x.gt(0),\n  x.mul(x.sigmoid()),\n  expm1(x).mul(0.5))", df: "" },
};
// both sides of every kink, the kink itself, and far out where exp, softplus and sigmoid saturate
const xs = [-30, -6, -2.5, -1, -0.3, -1e-9, 0, 1e-9, 0.3, 0.75, 1, 2.5, 3.2, 6, 30];

const files = Object.entries(compositions).map(([name, { f, df }]) => {
  const file = `${dir}/${name}.ts`;
  writeFileSync(file, `${activationCode(f, df)}\n`);
  return { name, f, df, file };
});

describe("compose-your-own: the code shown beside the plot", () => {
  it("is what compileActivation shows for the same text", () => {
    for (const { f, df } of files) expect(compileActivation(f, df).code).toBe(activationCode(f, df));
    expect(activationCode(presets["Mish"]!.f)).toBe([
      'import { composeActivation, exprOps } from "@gradscope/core";',
      "",
      "const { tanh, softplus } = exprOps;",
      "",
      "// f as an expression of x; f′ is derived for you",
      "export const yours = composeActivation(",
      '  "yours",',
      "  (x) => x.mul(tanh(softplus(x))),",
      "  { kinks: [0] }, // points the gradient check skips",
      ");",
      "",
      "// use it as a built-in: mlp({ …, activation: yours })",
      "// or train(config, { activation: yours }); check its f′",
      '// with checkActivation(yours) ("@gradscope/core/testing")',
    ].join("\n"));
  });

  it("type-checks under the repo's strict settings, against @gradscope/core's own types", () => {
    const config = ts.readConfigFile(`${app}tsconfig.json`, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, app);
    const program = ts.createProgram(files.map((f) => f.file), { ...options, noEmit: true, noUnusedLocals: true });
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.some((f) => f.file === d.file!.fileName))
      .map((d) => `${d.file!.fileName.slice(dir.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  });

  it("imported, computes the notebook's f and f′ at every point (to the last bit), and passes the same gradient check", async () => {
    for (const { name, f, df, file } of files) {
      const { yours } = (await import(pathToFileURL(file).href)) as { yours: Activation };
      const notebook = compileActivation(f, df).yours;
      expect(yours.name, name).toBe("yours");
      for (const x of xs) {
        const y = yours.f(x, yours.params);
        expect(y, `${name}: f(${x})`).toBe(notebook.f(x, notebook.params));
        expect(yours.df(x, yours.params, y), `${name}: f′(${x})`).toBe(notebook.df(x, notebook.params, notebook.f(x, notebook.params)));
      }
      expect(checkActivation(yours).ok, name).toBe(checkActivation(notebook).ok); // the tutorial's f′ fails in both
    }
    // and the derivative is a derivative: Swish β = 1.5's f′ against its closed form
    const { yours: swish } = (await import(pathToFileURL(files[0]!.file).href)) as { yours: Activation };
    const s = (x: number) => 1 / (1 + Math.exp(-1.5 * x));
    for (const x of [-2, 0.5, 3]) expect(swish.df(x, swish.params, swish.f(x, swish.params))).toBeCloseTo(s(x) + 1.5 * x * s(x) * (1 - s(x)), 12);
  });
});

describe("compose-your-own: what cannot be compiled", () => {
  it("is refused with the reason, f and f′ alike – also an f′ that parses but fails when called", () => {
    expect(() => compileActivation("x.mul(")).toThrow(SyntaxError);
    expect(() => compileActivation("x.mull(2)")).toThrow("x.mull is not a function");
    expect(() => compileActivation("x", "x >")).toThrow(SyntaxError);
    expect(() => compileActivation("x", "Math.exq(x)")).toThrow("Math.exq is not a function");
    expect(() => compileActivation("x", "y * 2")).toThrow("y is not defined");
    expect(() => compileActivation("x", "'1'")).toThrow("f′ must give a number, got string at x = -2");
  });
});
