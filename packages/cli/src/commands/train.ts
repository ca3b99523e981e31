import { loadDigits } from "@gradscope/core/node";
import { waitForHelperSync, type Dataset, type Trainer } from "@gradscope/core";
import { buildRun, explainDivergence, kernelsUsed, resolveRunConfig, type ResolvedRunConfig } from "@gradscope/stream";
import { parse } from "../args.js";
import { runConfigFromFlags, trainFlags, trainFlagsHelp } from "../config.js";
import { progressBar } from "../progress.js";

export const help = `gradscope train [flags]
  Trains an MLP with a progress bar and prints the final loss and accuracy on the training and a
  held-out set. Exit status 1 when training diverges (NaN or infinite loss).
${trainFlagsHelp}`;

export function run(argv: string[]): number {
  const { values } = parse(argv, trainFlags);
  const config = resolveRunConfig(runConfigFromFlags(values));
  const { trainer, train, test, dispose } = buildRun(config, { loadDigits });
  try {
    // --threads 2: products are split from the first step on (the helper thread starts in ~30 ms)
    waitForHelperSync(trainer.network.graph.backend);
    const code = trainLoop(config, trainer, train, test);
    process.stdout.write(`${kernelsLine(trainer)}\n`);
    return code;
  } finally {
    dispose(); // ends a helper thread (--threads 2)
  }
}

function trainLoop(config: ResolvedRunConfig, trainer: Trainer, train: Dataset, test: Dataset): number {
  const bar = progressBar({ total: config.steps, label: `${config.activation} ${config.depth}×${config.width} on ${config.dataset} ` });
  const t0 = performance.now();
  for (let i = 0; i < config.steps; i++) {
    trainer.step();
    if (trainer.diverged) break;
    bar.update(i + 1, `loss ${trainer.loss.toFixed(4)}`);
  }
  const ms = (performance.now() - t0) / Math.max(trainer.steps, 1);
  bar.done(`loss ${trainer.loss.toFixed(4)}`);
  if (trainer.diverged) {
    process.stdout.write(`diverged at step ${trainer.steps}: loss is ${trainer.loss}. Source: ${explainDivergence(trainer).replace("learning rate (now", "--lr (now")}\n`);
    return 1;
  }
  const tr = trainer.evaluate(train), te = trainer.evaluate(test);
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  process.stdout.write(
    `after ${trainer.steps} steps (${ms.toFixed(2)} ms/step): train loss ${tr.loss.toFixed(4)}, accuracy ${pct(tr.accuracy)}; ` +
      `test loss ${te.loss.toFixed(4)}, accuracy ${pct(te.accuracy)}\n`,
  );
  return 0;
}

/** "kernels: wasm-relaxed-2threads; 381 matrix products shared by the second thread". */
function kernelsLine(trainer: Trainer): string {
  const kernels = kernelsUsed(trainer.network.graph.backend);
  const shared = kernels.parallelProducts === undefined ? "" : `; ${kernels.parallelProducts} matrix products shared by the second thread`;
  return `kernels: ${kernels.backend}${shared}`;
}
