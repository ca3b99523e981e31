import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../../bin.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../../..", import.meta.url));
// node loads tsx's hooks itself (--import), so killing the child kills gradscope, not a wrapper around it
const nodeFlags = ["--import", "tsx", "--conditions=@gradscope/source", ...(Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [])];

/** A real `gradscope` process and what it has printed (stdout and stderr together). */
export interface GradscopeProcess {
  child: ChildProcess;
  text(): string;
  /**
   * Resolves with the `nth` (default first) printed line matching `re` – an event, not a time; rejects
   * if the process exits first.
   */
  line(re: RegExp, nth?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Starts `gradscope ARGS` as its own node process from the repository root, for what cannot run in the
 * test's process (a worker to kill, NODE_EXTRA_CA_CERTS read at start-up). `env` is added to the test's.
 * @example
 * const w = spawnGradscope(["worker", "--queue", url]);
 * await w.line(/^waiting for jobs/);
 */
export function spawnGradscope(args: readonly string[], { env = {} }: { env?: Record<string, string> } = {}): GradscopeProcess {
  const child = spawn(process.execPath, [...nodeFlags, main, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let text = "";
  const waiters: (() => void)[] = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const onData = (d: Buffer) => {
    text += d.toString();
    wake();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => { wake(); resolve(code); }));
  const line = (re: RegExp, nth = 1) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const look = () => {
      const m = text.split("\n").map((l) => re.exec(l)).filter(Boolean)[nth - 1];
      if (m) return resolve(m);
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`gradscope ${args[0]} exited before printing ${re}:\n${text}`));
      waiters.push(look);
    };
    look();
  });
  return { child, text: () => text, line, exited };
}
