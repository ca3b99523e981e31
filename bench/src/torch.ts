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

/** PyTorch on the CPU with one thread, in a python3 child process driven over JSON lines. */
export function torchSystem(python: string): System & { version(): Promise<string> } {
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
    async version() {
      const info = await ask({ op: "info" });
      return `${String(info.version)}, ${String(info.threads)} thread`;
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
