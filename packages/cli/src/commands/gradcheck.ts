import { activationNamed, activationNames, activations, createRng, elu, gelu, mlp, prelu, softplus, swish, tanh, type Activation } from "@gradscope/core";
import { checkActivation, checkGraph, type GradcheckResult } from "@gradscope/core/testing";
import { parse, UsageError } from "../args.js";

export const help = `gradscope gradcheck [--all | NAME…] [--json]
  Checks f′ (and learnable parameters' derivatives) of each activation against float64 central
  finite differences away from kinks, and back-propagation through a small MLP ("mlp").
  Exit status 1 when any check fails. JSON: [{name, maxAbsError, maxRelError, ok}]`;

/** Back-propagation through a float64 MLP mixing smooth activations, against finite differences. */
export function checkMlp(): GradcheckResult {
  const layers: Activation[] = [tanh, elu, gelu, softplus, prelu, swish];
  const net = mlp({ inputs: 3, outputs: 4, depth: layers.length, width: 5, activation: layers, dtype: "float64", seed: 3, biasInit: 0.1 }).build(6);
  const rng = createRng(4);
  for (let i = 0; i < net.x.value.length; i++) net.x.value[i] = rng.normal();
  for (let i = 0; i < net.y.value.length; i++) net.y.value[i] = rng.int(4);
  return checkGraph(net.graph, { name: "mlp" });
}

export function runChecks(names: string[]): GradcheckResult[] {
  const results: GradcheckResult[] = [];
  for (const name of names) {
    results.push(name === "mlp" ? checkMlp() : checkActivation(activationNamed(name)));
  }
  return results;
}

export function run(argv: string[]): number {
  const { values, positionals } = parse(argv, { all: { type: "boolean" }, json: { type: "boolean" } } as const, true);
  if (values.all && positionals.length) throw new UsageError("give either --all or activation names, not both");
  const names = values.all || positionals.length === 0 ? [...activations.map((a) => a.name), "mlp"] : positionals;
  for (const n of names) {
    if (n !== "mlp" && !activationNames.includes(n)) activationNamed(n); // throws the listing error
  }
  const results = runChecks(names);
  if (values.json) {
    process.stdout.write(JSON.stringify(results.map(({ name, maxAbsError, maxRelError, ok }) => ({ name, maxAbsError, maxRelError, ok })), null, 2) + "\n");
  } else {
    for (const r of results) {
      process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(12)} max abs ${r.maxAbsError.toExponential(2)}  max rel ${r.maxRelError.toExponential(2)}  (${r.checked} derivatives)\n`);
    }
    const failed = results.filter((r) => !r.ok).length;
    process.stdout.write(failed ? `${failed} of ${results.length} failed\n` : `all ${results.length} passed\n`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
