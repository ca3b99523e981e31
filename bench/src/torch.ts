import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Runner, System } from "./system.js";
import { MLP_SHAPE, type Workload } from "./workloads.js";

const script = fileURLToPath(new URL("./torch_peer.py", import.meta.url));
// thread counts must be fixed before torch is imported, or "one thread" runs on every core
const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

/**
 * The first Python that can `import torch`: $BENCH_PYTHON, then `python3` on the PATH, then Debian's
 * /usr/bin/python3 (where `apt-get install python3-torch` puts it, which a pyenv shim hides).
 */
export function findTorchPython(): string | null {
  const candidates = [process.env.BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c);
  return candidates.find((py) => spawnSync(py, ["-c", "import torch"], { env, stdio: "ignore" }).status === 0) ?? null;
}

/** Which BLAS the PyTorch peer runs, as torch_peer.py's `info` reports it. */
export interface TorchBlas {
  /** BLAS_INFO from `torch.__config__.show()`: what torch was built against ("generic" on Debian). */
  built: string;
  /** BLAS libraries loaded in the peer after a product (real paths): what actually runs. */
  loaded: string[];
  /** Best of five 512 × 512 × 512 products, GFLOP/s of the thread's CPU time (load does not lower it). */
  gflops512: number;
}

/**
 * Below this rate for a 512³ product on one thread, torch's BLAS is not a fair peer: Debian's reference
 * BLAS (libblas3) runs 6–7 GFLOP/s here against 150–190 with OpenBLAS (CPU time), which would make every "× torch" ratio
 * flatter gradscope ~15×. A floor well under OpenBLAS, MKL or BLIS on any x86-64 core of the last decade.
 */
export const TORCH_GFLOPS_FLOOR = 20;

/**
 * A short name of the BLAS torch runs: the loaded library's family (OpenBLAS, MKL, BLIS, ATLAS, or
 * Debian's reference BLAS, /usr/lib/…/blas/libblas.so.3), else what torch was built with.
 * @example blasName({ built: "generic", loaded: ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"], gflops512: 98 }); // "OpenBLAS"
 */
export function blasName(blas: TorchBlas): string {
  const families: [RegExp, string][] = [
    [/openblas/i, "OpenBLAS"], [/mkl/i, "MKL"], [/blis/i, "BLIS"], [/atlas/i, "ATLAS"], [/\/blas\/libblas\.so/, "reference BLAS (netlib)"],
  ];
  for (const lib of blas.loaded) for (const [re, name] of families) if (re.test(lib)) return name;
  if (blas.loaded.length > 0) return blas.loaded[0]!.split("/").pop()!;
  return blas.built === "mkl" ? "MKL" : `BLAS_INFO=${blas.built}`;
}

/**
 * Why this torch cannot be the bench's peer (its 512³ product runs below {@link TORCH_GFLOPS_FLOOR}), naming
 * the Debian package to install; null when it can.
 */
export function torchBlasProblem(blas: TorchBlas): string | null {
  if (blas.gflops512 >= TORCH_GFLOPS_FLOOR) return null;
  const lib = blas.loaded.length > 0 ? ` (${blas.loaded.join(", ")})` : "";
  return `PyTorch multiplies 512×512 matrices at ${blas.gflops512.toFixed(1)} GFLOP/s on one thread with ${blasName(blas)}${lib}, ` +
    `below the bench's floor of ${TORCH_GFLOPS_FLOOR} (OpenBLAS: 150–190 here): every "× torch" ratio would flatter gradscope. ` +
    "Install OpenBLAS (Debian: apt-get install -y libopenblas0-pthread, or libopenblas0), or leave PyTorch out (--systems gradscope,tfjs).";
}

/** The bench refuses a PyTorch peer whose BLAS is too slow to compare against; the message says what to install. */
export class TorchBlasError extends Error {
  override name = "TorchBlasError";
}

/** PyTorch on the CPU with one thread, in a python3 child process driven over JSON lines. */
export function torchSystem(python: string): System & { info(): Promise<{ version: string; threads: number; blas: TorchBlas }> } {
  let child: ChildProcessWithoutNullStreams | undefined;
  let replies: AsyncIterator<string> | undefined;
  const ask = async (req: object): Promise<Record<string, unknown>> => {
    if (!child) {
      child = spawn(python, [script], { env });
      child.stderr.on("data", (d: Buffer) => process.stderr.write(`[torch] ${d.toString()}`));
      replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    }
    child.stdin.write(JSON.stringify(req) + "\n");
    const next = await replies!.next();
    if (next.done) throw new Error("the PyTorch peer exited");
    return JSON.parse(next.value) as Record<string, unknown>;
  };
  return {
    name: "pytorch-1thread",
    async info() {
      const info = await ask({ op: "info" });
      return { version: String(info.version), threads: Number(info.threads), blas: info.blas as TorchBlas };
    },
    async setup(w: Workload): Promise<Runner | null> {
      if (w.kind === "mlp" && w.probes) return null; // gradscope's probes have no peer
      if (w.kind === "mlp" && w.norm) return null; // normalised W1: gradscope against its own W1 only
      const reply = await ask({ op: "setup", workload: { ...w, shape: MLP_SHAPE } });
      if (!reply.ok) return null;
      return {
        sample: async (iters) => (await ask({ op: "sample", iters })).ms as number,
        dispose() {},
      };
    },
    close() {
      child?.stdin.end();
      child?.kill();
    },
  };
}
