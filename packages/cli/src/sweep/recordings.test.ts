import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failurePath, openRecording, recordingState, removeStaleTemporaries, writeFailure } from "./recordings.js";

const fresh = () => mkdtempSync(join(tmpdir(), "gradscope-recordings-"));
const status = '{"type":"status","step":3,"status":"completed"}\n';

describe("openRecording", () => {
  it("shows DIR/<id>.ndjson only when committed, whole, after ~64 kB writes", () => {
    const dir = fresh();
    const rec = openRecording(dir, "a.seed-1");
    const lines = Array.from({ length: 3000 }, (_, i) => `{"type":"step","step":${i + 1},"pad":"${"x".repeat(40)}"}\n`);
    for (const line of lines) rec.write(line);
    expect(existsSync(join(dir, "a.seed-1.ndjson"))).toBe(false); // only the temporary file so far
    expect(readdirSync(dir)).toHaveLength(1);
    rec.write(status);
    rec.commit();
    expect(readdirSync(dir)).toEqual(["a.seed-1.ndjson"]);
    expect(readFileSync(join(dir, "a.seed-1.ndjson"), "utf8")).toBe(lines.join("") + status);
    expect(recordingState(dir, "a.seed-1")).toBe("finished");
  });

  it("a re-run replaces the recording (never appends) and clears its failure; a discarded one leaves the old", () => {
    const dir = fresh();
    writeFileSync(join(dir, "b.ndjson"), "old\n");
    writeFailure(dir, "b", "went wrong");
    expect(recordingState(dir, "b")).toBe("failed"); // the old file has no status row
    const cut = openRecording(dir, "b");
    cut.write("half a run\n");
    cut.discard();
    expect(readdirSync(dir).sort()).toEqual(["b.failed.json", "b.ndjson"]);
    expect(readFileSync(join(dir, "b.ndjson"), "utf8")).toBe("old\n");
    const rec = openRecording(dir, "b");
    rec.write(status);
    rec.commit();
    expect(readFileSync(join(dir, "b.ndjson"), "utf8")).toBe(status);
    expect(existsSync(failurePath(dir, "b"))).toBe(false);
  });

  it("leaves a temporary file when never ended, which the next sweep's removeStaleTemporaries removes", () => {
    const dir = fresh();
    openRecording(dir, "c").write(status); // a crash: neither commit nor discard
    expect(removeStaleTemporaries(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses an id that leaves DIR", () => {
    expect(() => openRecording(fresh(), "../x")).toThrow(/run id/);
  });
});
