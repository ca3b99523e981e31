import { describe, expect, it } from "vitest";
import * as core from "@gradscope/core";
import { activations, geluTanh, rreluPaper, type Activation } from "@gradscope/core";
import { checkActivation } from "@gradscope/core/testing";

// every Activation the package exports, found by shape so a new export cannot be forgotten here
const exported = Object.entries(core).filter(
  (entry): entry is [string, Activation] => typeof (entry[1] as Partial<Activation>)?.df === "function",
);

describe("activations", () => {
  it("lists every exported base activation, with unique names", () => {
    const names = activations.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    const presets = new Set<unknown>([geluTanh, rreluPaper]);
    const bases = exported.filter(([, a]) => !presets.has(a)).map(([, a]) => a);
    expect(new Set(bases)).toEqual(new Set(activations));
    for (const [exportName, a] of exported) if (!presets.has(a)) expect(a.name).toBe(exportName);
  });

  it.each(exported)("%s passes the float64 gradient check (f′, learnable params, training mode)", (_, a) => {
    const r = checkActivation(a);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.maxRelError).toBeLessThan(1e-6);
  });

  it.each(exported)("%s passes it on a wider range too", (_, a) => {
    const r = checkActivation(a, { range: [-20, 20], seed: 7, points: 400 });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it.each(exported)("%s is finite at ±1e4 and at its kinks", (_, a) => {
    for (const x of [-1e4, -30, 30, 1e4, ...a.kinks]) {
      const y = a.f(x, a.params);
      expect(Number.isFinite(y), `f(${x})`).toBe(true);
      expect(Number.isFinite(a.df(x, a.params, y)), `f′(${x})`).toBe(true);
      for (const key of a.learnable) expect(Number.isFinite(a.dparams?.[key]?.(x, a.params, y)), `∂f/∂${key}(${x})`).toBe(true);
    }
  });

  it.each(exported)("%s.with() rejects unknown parameters, naming them", (_, a) => {
    expect(() => a.with({ notAParam: 1 })).toThrow(/notAParam/);
  });

  it.each(exported.filter(([, a]) => Object.keys(a.params).length > 0))(
    "%s.with() rejects non-finite values, naming the parameter",
    (_, a) => {
      for (const key of Object.keys(a.params)) expect(() => a.with({ [key]: NaN })).toThrow(new RegExp(key));
    },
  );
});
