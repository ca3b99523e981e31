import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseNdjson } from "@gradscope/stream";
import { describe, expect, it } from "vitest";
import { atomicFile } from "./atomicFile.js";
import { cli } from "./internal/testing/cli.js";

describe("outputs are written to a temporary file and renamed, never over an input", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradscope-atomic-"));
  const recording = join(dir, "run.ndjson");
  let original = "";

  it("records a run to compare against", async () => {
    expect((await cli("run", "--steps", "10", "--depth", "2", "--width", "4", "--out", recording)).code).toBe(0);
    original = readFileSync(recording, "utf8");
    expect(original.split("\n").length).toBeGreaterThan(10);
  });

  it("the input recording is unchanged after `report --out` names it (also through a symlink)", async () => {
    const r = await cli("report", recording, "--out", recording);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gradscope report: --out ${recording} is the input ${recording}; refusing to write over it (name another file)\n`);
    expect(readFileSync(recording, "utf8")).toBe(original);
    const link = join(dir, "link.html");
    symlinkSync(recording, link);
    expect((await cli("report", recording, "--out", link)).code).toBe(2);
    // a directory of recordings: the output may not be one of them either
    expect((await cli("report", dir, "--out", recording)).code).toBe(2);
    expect(readFileSync(recording, "utf8")).toBe(original);
  });

  it("`run --out existing.ndjson` leaves the file as it was when the run then fails", async () => {
    for (const [flags, message] of [
      [["--batch-size", "5000"], "batch size 5000 is larger than the data set (300 examples)"],
      [["--init", "Infinity"], "init must be an initialiser name or a finite number, got Infinity"],
    ] as const) {
      const r = await cli("run", ...flags, "--out", recording);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`gradscope run: ${message}\n`);
      expect(readFileSync(recording, "utf8")).toBe(original);
    }
    // no temporary file left behind
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a directory as --out is refused by name", async () => {
    const sub = join(dir, "sub");
    mkdirSync(sub);
    const r = await cli("run", "--steps", "2", "--out", sub);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gradscope run: --out ${sub} is a directory; name a file\n`);
  });

  it("commit replaces the target whole; abort leaves it as it was", () => {
    const target = join(dir, "out.txt");
    writeFileSync(target, "old");
    const a = atomicFile(target);
    a.write("new, ");
    expect(readFileSync(target, "utf8")).toBe("old"); // nothing is visible before the commit
    a.abort();
    expect(readFileSync(target, "utf8")).toBe("old");
    const b = atomicFile(target);
    b.write("new, ");
    b.write("whole");
    b.commit();
    b.abort(); // after a commit: nothing to undo
    expect(readFileSync(target, "utf8")).toBe("new, whole");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("commitAsync puts the file in place only when it resolves; a failed rename names the target and leaves no temporary file", async () => {
    const target = join(dir, "async.txt");
    writeFileSync(target, "old");
    const a = atomicFile(target);
    a.write("new");
    const committing = a.commitAsync();
    a.abort(); // committing already: a no-op
    expect(readFileSync(target, "utf8")).toBe("old"); // the fsync runs off the event loop first
    await committing;
    expect(readFileSync(target, "utf8")).toBe("new");
    const into = join(dir, "gone", "x.txt");
    mkdirSync(join(dir, "gone"));
    const b = atomicFile(into);
    b.write("x");
    rmSync(join(dir, "gone"), { recursive: true, force: true }); // the directory vanishes before the rename
    await expect(b.commitAsync()).rejects.toMatchObject({ path: into });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("a run stopped by a signal", () => {
  it("SIGTERM stops `run --out` between steps and keeps the whole recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-signal-"));
    const file = join(dir, "run.ndjson");
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@gradscope/source", "--import", tsx, bin, "run", "--steps", "10000000", "--depth", "2", "--width", "8", "--out", file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "", killed = false;
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    // the first progress line means the run is training: then ask it to stop
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (!killed && err.includes("step ")) {
        killed = true;
        child.kill("SIGTERM");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(out).toContain(`rows written to ${file}`);
    const { rows } = parseNdjson(readFileSync(file, "utf8"));
    expect(rows.at(-1)).toMatchObject({ type: "status", status: "stopped" });
    expect(readdirSync(dir)).toEqual(["run.ndjson"]); // renamed into place, no temporary file left
  }, 120_000);
});
