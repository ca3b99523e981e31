import { writeFileSync } from "node:fs";
import { notes } from "./gradscope.js";
import { table } from "./report.js";
import { runBench } from "./run.js";
import { TorchBlasError } from "./torch.js";

// pnpm bench [--quick] [--rounds N] [--json [file]] [--systems a,b] [--workloads W1,W3-512]
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? args[i + 1] : undefined;
  return v && !v.startsWith("--") ? v : undefined;
};

const rounds = value("--rounds");
const rows = await runBench({
  quick: flag("--quick"),
  rounds: rounds === undefined ? undefined : Number(rounds),
  systems: value("--systems")?.split(","),
  workloads: value("--workloads")?.split(","),
  log: (l) => process.stderr.write(`${l}\n`),
}).catch((e: unknown) => {
  // a PyTorch peer on a slow BLAS is refused before anything is timed (torch.ts): say what to install
  if (e instanceof TorchBlasError) {
    process.stderr.write(`pnpm bench: ${e.message}\n`);
    process.exit(1);
  }
  // runBench checks its options before it starts anything: a bad one is the user's input
  if (!(e instanceof RangeError)) throw e;
  process.stderr.write(`pnpm bench: --${e.message}\n`);
  process.exit(2);
});

if (flag("--json")) {
  const file = value("--json");
  const text = JSON.stringify(rows, null, 2);
  if (file) writeFileSync(file, text + "\n");
  else process.stdout.write(text + "\n");
} else {
  process.stdout.write(table(rows, [...notes]));
}
