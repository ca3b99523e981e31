import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "./args.js";
import { cli } from "./internal/testing/cli.js";
import { describeError } from "./reportError.js";

const errno = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(`${code}: something, write`), { code, ...extra });

describe("describeError", () => {
  it("exit 2 for bad usage or input, 1 for a failed run; always one line", () => {
    expect(describeError(new UsageError("--depth must be a positive integer"))).toEqual({ status: 2, line: "--depth must be a positive integer" });
    expect(describeError(new RangeError("unknown dtype"))).toEqual({ status: 2, line: "unknown dtype" });
    expect(describeError(errno("EISDIR", { path: "runs", syscall: "read" }))).toEqual({ status: 2, line: "runs: is a directory, not a file (EISDIR on read)" });
    expect(describeError(errno("ENOENT", { path: "x.ndjson", syscall: "open" }))).toEqual({ status: 2, line: "x.ndjson: no such file or directory (ENOENT on open)" });
    expect(describeError(errno("EIO", { path: "run.ndjson", syscall: "write" }))).toEqual({ status: 1, line: "run.ndjson: input/output error (the disk or file system failed) (EIO on write)" });
    expect(describeError(errno("ENOSPC", { syscall: "write" }))).toEqual({ status: 1, line: "no space left on the device (ENOSPC on write)" });
    expect(describeError(new Error("the worker\nexited\n  with code 3"))).toEqual({ status: 1, line: "the worker exited with code 3" });
    expect(describeError(new TypeError("x is not a function"))).toEqual({ status: 1, line: "TypeError: x is not a function" });
  });
});

describe("CLI failures", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradscope-errors-"));

  it("help for an unknown command exits 2 and names the known ones", async () => {
    const r = await cli("help", "nosuchcommand");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gradscope help: unknown command "nosuchcommand" \(known: activations, gradcheck, .*report.*\)\n$/);
    expect((await cli("help", "replay")).code).toBe(0);
    const bare = await cli("nosuchcommand");
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/^gradscope: unknown command "nosuchcommand" \(known: activations, gradcheck, .*report.*; gradscope help for more\)\n$/);
  });
  it("a directory where a file is read: one line naming it, exit 2 (EISDIR)", async () => {
    const r = await cli("replay", dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gradscope replay: ${dir}: is a directory, not a file (EISDIR on read)\n`);
  });
  it("no space left while recording: one line naming the file, exit 1 (ENOSPC)", async () => {
    // /dev/full fails every write with ENOSPC; a device is written directly, not through a temporary file
    const r = await cli("run", "--steps", "3", "--depth", "1", "--width", "4", "--out", "/dev/full");
    expect(r.code).toBe(1);
    expect(r.err).toBe("gradscope run: /dev/full: no space left on the device (ENOSPC on write)\n");
  });
  it("the stack only with --debug", async () => {
    const plain = await cli("train", "--init", "Infinity");
    expect(plain.code).toBe(2);
    expect(plain.err).toBe("gradscope train: init must be an initialiser name or a finite number, got Infinity\n");
    const debug = await cli("train", "--debug", "--init", "Infinity");
    expect(debug.code).toBe(2);
    expect(debug.err.split("\n")[0]).toBe(plain.err.trimEnd());
    expect(debug.err).toMatch(/\nRangeError: init must be[^\n]*\n\s+at check .*\n\s+at resolveRunConfig /);
  });
  it("a model too large for the memory budget is refused before it is built, naming depth and width", async () => {
    const r = await cli("run", "--depth", "1000000000");
    expect(r.code).toBe(2);
    expect(r.err).toBe("gradscope run: the model is too large: depth 1000000000 × width 32 (batch size 32) needs about 99 TB for parameters, buffers and data, over the budget of 2.1 GB; use a smaller depth or width\n");
    const w = await cli("train", "--width", "1e16");
    expect(w.code).toBe(2);
    expect(w.err).toContain("the model is too large: depth 4 × width 10000000000000000");
  });
  it("data that float32 cannot hold (--noise 1e308) is bad input, not a learning-rate problem", async () => {
    const r = await cli("train", "--noise", "1e308", "--steps", "5");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gradscope train: the training data \("spiral"\) has feature value \S+ .*; noise 1e\+308 is too large\n$/);
    expect(r.err + r.out).not.toContain("--lr");
  });

  it("a reader that leaves early (| head) ends the command quietly, exit 0, no stack", async () => {
    const file = join(dir, "run.ndjson");
    expect((await cli("run", "--steps", "3000", "--depth", "1", "--width", "4", "--out", file)).code).toBe(0);
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@gradscope/source", "--import", tsx, bin, "replay", file], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy()); // as `head -1` does after its line
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
  }, 60_000);
});
