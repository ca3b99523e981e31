import { numberFlag, numberList, parse, UsageError } from "../args.js";
import { progressBar } from "../progress.js";
import { fmt, type Reproduction } from "../reproduce/experiment.js";
import { experiments } from "../reproduce/experiments.js";

export const help = `gradscope reproduce EXPERIMENT [--json] [--seed N] [--trials N] [--widths 2,3,5,10] [--depths 10,50]
  Reproduces a result of the literature and prints ours beside theory or the paper's value, with a
  tolerance and a verdict (exit status 1 if a check fails). Ctrl-C stops early and prints what finished.
  experiments: ${Object.keys(experiments).join(", ")}
  --json              the result as JSON: {experiment, description, checks: [{quantity, ours, theory,
                      tolerance, pass}], pass, interrupted, data}; born-dead's data is
                      [{width, depth, trials, measured, theory}]
  --trials N          random nets per case (born-dead, he-init, glorot-init, selu-fixed-point); seeds per
                      arm (batchnorm-mnist, residual-depth; default 3)
  --widths --depths   born-dead's grid (hidden-layer width N, number of hidden layers L)
  --seed N            default 1`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: "boolean" }, seed: { type: "string" }, trials: { type: "string" }, widths: { type: "string" }, depths: { type: "string" },
  }, true);
  const name = positionals[0];
  const experiment = name ? experiments[name] : undefined;
  if (!name || positionals.length > 1 || !experiment) {
    throw new UsageError(`reproduce takes one experiment: ${Object.keys(experiments).join(", ")}${name ? ` (got "${positionals.join(" ")}")` : ""}`);
  }
  const options: Record<string, unknown> = { seed: numberFlag("seed", values.seed, 1, { integer: true }) };
  if (values.trials !== undefined) options.trials = numberFlag("trials", values.trials, 0, { integer: true, min: 1 });
  const ints = (flag: string, raw: string) => numberList(flag, raw).map((v) => numberFlag(flag, String(v), 0, { integer: true, min: 1 }));
  if (values.widths !== undefined) options.widths = ints("widths", values.widths);
  if (values.depths !== undefined) options.depths = ints("depths", values.depths);

  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write("\ninterrupted: finishing the current step, keeping what finished (Ctrl-C again to quit now)\n");
    abort.abort();
    process.off("SIGINT", onSigint);
  };
  process.on("SIGINT", onSigint);
  let bar: ReturnType<typeof progressBar> | undefined;
  let result: Reproduction;
  try {
    result = await experiment(options, {
      signal: abort.signal,
      progress(done, total, label) {
        bar ??= progressBar({ total, label: `${name} ` });
        bar.update(done, label ?? "");
      },
    });
    bar?.done();
  } finally {
    process.off("SIGINT", onSigint);
  }
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + "\n" : formatReproduction(result));
  return result.pass ? 0 : 1;
}

/** The text report: one line per check, ours beside theory, the tolerance and the verdict. */
export function formatReproduction(r: Reproduction): string {
  const w = Math.max(...r.checks.map((c) => c.quantity.length), 8);
  const lines = [
    `${r.experiment}: ${r.description}${r.interrupted ? " (interrupted: partial results)" : ""}`,
    "",
    `${"quantity".padEnd(w)}  ${"ours".padStart(10)}  ${"theory".padStart(10)}  verdict  tolerance`,
    ...r.checks.map((c) => `${c.quantity.padEnd(w)}  ${fmt(c.ours).padStart(10)}  ${fmt(c.theory).padStart(10)}  ${c.pass ? "pass   " : "FAIL   "}  ${c.tolerance}`),
    "",
    `${r.checks.filter((c) => c.pass).length}/${r.checks.length} checks pass${r.interrupted ? " (interrupted)" : ""}`,
  ];
  return lines.join("\n") + "\n";
}
