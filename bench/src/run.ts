import { gradscopeBackends } from "./backends.js";
import { ceilingSystem } from "./ceiling.js";
import { calibrate, stats } from "./measure.js";
import type { Runner, System } from "./system.js";
import { gradscopeSystem, notes } from "./gradscope.js";
import { tfjsSystem } from "./tfjs.js";
import { blasName, findTorchPython, torchBlasProblem, TorchBlasError, torchSystem } from "./torch.js";
import { workloads as allWorkloads, type Workload } from "./workloads.js";

/** One line of `--json`: a workload on a system. Ratios are medians over the peer's median (< 1: faster). */
export interface BenchRow {
  workload: string;
  system: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  ratioVsTorch: number | null;
  ratioVsTfjsWasm: number | null;
  /** On PyTorch's rows: the BLAS it ran (e.g. "OpenBLAS"). */
  blas?: string;
}

export interface BenchOptions {
  /** A smoke run: few short samples. */
  quick?: boolean;
  /** Samples per workload and system (interleaved rounds). Default 15; 3 with `quick`. */
  rounds?: number;
  /** Only systems whose name contains one of these. */
  systems?: readonly string[];
  /** Only these workload ids. */
  workloads?: readonly string[];
  /** Progress lines. */
  log?: (line: string) => void;
}

export const TORCH = "pytorch-1thread";
export const TFJS_WASM = "tfjs-wasm";

/**
 * The systems of one run: every gradscope backend, TensorFlow.js cpu and wasm, PyTorch when
 * importable, and the WebAssembly ceiling (see ceiling.ts).
 */
export async function systems(filter?: readonly string[]): Promise<System[]> {
  const list: System[] = (await gradscopeBackends()).map(gradscopeSystem);
  list.push(tfjsSystem("cpu"), tfjsSystem("wasm"));
  // the ceiling compiles its kernels at setup (~1 s): only when the filter lets it through
  if (!filter || filter.some((f) => "ceiling-wasm".includes(f) || f.includes("ceiling"))) list.push(ceilingSystem());
  const python = !filter || filter.some((f) => "pytorch".includes(f) || f.includes("torch")) ? findTorchPython() : null;
  if (python) {
    // a torch on the reference BLAS would make every ratio against it flatter us ~15×: refuse it before anything is timed
    const torch = torchSystem(python);
    const { version, blas } = await torch.info().catch(async (e: unknown) => {
      await torch.close?.();
      throw e;
    });
    const problem = torchBlasProblem(blas);
    if (problem) {
      await torch.close?.();
      throw new TorchBlasError(problem);
    }
    torch.blas = blasName(blas);
    notes.add(`${TORCH}: torch ${version}, BLAS ${torch.blas} (${blas.loaded.join(", ") || "none loaded"}; built with BLAS_INFO=${blas.built}), ` +
      `512³ product at ${blas.gflops512.toFixed(0)} GFLOP/s of CPU time`);
    list.push(torch);
  }
  return filter ? list.filter((s) => filter.some((f) => s.name.includes(f))) : list;
}

/**
 * Runs every workload on every system. Samples are interleaved – round r times each system once –
 * so a burst of load from other processes lands on all systems alike and ratios stay comparable.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const { quick = false, log = () => {} } = options;
  const rounds = options.rounds ?? (quick ? 3 : 15), targetMs = quick ? 5 : 60, warmup = quick ? 1 : 5;
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  const chosen = options.workloads ? allWorkloads.filter((w) => options.workloads!.includes(w.id)) : allWorkloads;
  const syss = await systems(options.systems);
  const rows: BenchRow[] = [];
  // a workload and its variants (W1, W1+probes) are sampled in the same rounds, so their ratio
  // compares like with like on a loaded machine
  const groups = new Map<string, Workload[]>();
  for (const w of chosen) groups.set(w.id.split("+")[0]!, [...(groups.get(w.id.split("+")[0]!) ?? []), w]);
  try {
    for (const group of groups.values()) rows.push(...(await runWorkloads(group, syss, rounds, targetMs, warmup, log)));
  } finally {
    for (const s of syss) await s.close?.();
  }
  return withRatios(rows);
}

async function runWorkloads(
  ws: readonly Workload[], syss: readonly System[], rounds: number, targetMs: number, warmup: number, log: (l: string) => void,
): Promise<BenchRow[]> {
  const active: { w: Workload; system: System; runner: Runner; iters: number; samples: number[] }[] = [];
  for (const w of ws) {
    for (const system of syss) {
      const runner = await system.setup(w);
      if (!runner) continue;
      active.push({ w, system, runner, iters: await calibrate(runner, targetMs, warmup), samples: [] });
    }
  }
  // within a round, a system's variants (W1, W1+probes) run back to back: their ratio then compares
  // samples seconds apart at most (a tfjs-cpu sample alone takes ~1 s, in which the machine can change)
  const order = [...active].sort((x, y) => syss.indexOf(x.system) - syss.indexOf(y.system));
  for (let r = 0; r < rounds; r++) {
    for (const a of order) a.samples.push(await a.runner.sample(a.iters));
  }
  for (const a of active) await a.runner.dispose();
  for (const w of ws) {
    const of = active.filter((a) => a.w === w);
    log(`${w.id}: ${of.map((a) => `${a.system.name} ${stats(a.samples).medianMs.toFixed(3)} ms`).join(", ")}`);
  }
  return active.map((a) => ({
    workload: a.w.id, system: a.system.name, ...stats(a.samples), ratioVsTorch: null, ratioVsTfjsWasm: null,
    ...(a.system.blas ? { blas: a.system.blas } : {}),
  }));
}

function withRatios(rows: BenchRow[]): BenchRow[] {
  const median = (w: string, s: string) => rows.find((r) => r.workload === w && r.system === s)?.medianMs;
  return rows.map((r) => {
    const torch = median(r.workload, TORCH), tfw = median(r.workload, TFJS_WASM);
    return { ...r, ratioVsTorch: torch ? r.medianMs / torch : null, ratioVsTfjsWasm: tfw ? r.medianMs / tfw : null };
  });
}
