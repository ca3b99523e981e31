import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { from, lastValueFrom, take, throwError, concat, toArray } from "rxjs";
import { afterAll, describe, expect, it } from "vitest";
import { readNdjson, replayFile, writeNdjson } from "./node.js";
import { encodeRow, headerRow } from "./record.js";
import type { HeaderRow, Row } from "./rows.js";

const dir = mkdtempSync(join(tmpdir(), "gradscope-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = headerRow({ run: "a", config: { depth: 3 }, seed: 7, createdAt: "2024-01-01T00:00:00.000Z" });
const step = (s: number, loss = 1 / (s + 1)) => ({ type: "step", run: "a", step: s, loss, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const rows = [step(0), step(1, NaN), step(2, Infinity), { type: "status", run: "a", step: 2, status: "diverged" } as Row];

const read = async (path: string, warnings: string[] = []) => {
  let seen: HeaderRow | undefined;
  const out: Row[] = [];
  for await (const row of readNdjson(path, { onHeader: (h) => (seen = h), onWarning: (w) => warnings.push(w) })) out.push(row);
  return { header: seen, rows: out, warnings };
};

describe("writeNdjson + readNdjson", () => {
  it("round-trips rows through a file, NaN and Infinity included", async () => {
    const path = join(dir, "run.ndjson");
    expect(await lastValueFrom(from(rows).pipe(writeNdjson(path, { header }), toArray()))).toEqual(rows);
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(rows.length + 2);
    expect(await read(path)).toEqual({ header, rows, warnings: [] });
  });

  it("has written every row before an error, line by line", async () => {
    const path = join(dir, "crash.ndjson");
    const failing = concat(from(rows.slice(0, 2)), throwError(() => new Error("crash")));
    await expect(lastValueFrom(failing.pipe(writeNdjson(path, { header })))).rejects.toThrow("crash");
    expect((await read(path)).rows).toEqual(rows.slice(0, 2));
  });

  it("keeps the rows before a truncated last line, with a warning", async () => {
    const path = join(dir, "cut.ndjson");
    await lastValueFrom(from(rows).pipe(writeNdjson(path, { header })));
    appendFileSync(path, encodeRow(step(3)).slice(0, 17));
    expect(await read(path)).toEqual({ header, rows, warnings: ["line 6 is truncated (crash mid-write?); kept 5 rows"] });
  });

  it("names the line of a malformed line", async () => {
    const path = join(dir, "bad.ndjson");
    writeFileSync(path, [header, step(0)].map(encodeRow).join("\n") + '\n{"step": 1}\n' + encodeRow(step(2)) + "\n");
    await expect(read(path)).rejects.toThrow('line 3: row has no "type"');
    writeFileSync(path, `${encodeRow(header)}\n{oops\n`);
    await expect(read(path)).rejects.toThrow(/^line 2: invalid JSON/);
  });
});

describe("replayFile", () => {
  it("replays a file as the Observable of its rows, and stops reading when unsubscribed", async () => {
    const path = join(dir, "replay.ndjson");
    await lastValueFrom(from(rows).pipe(writeNdjson(path, { header })));
    expect(await lastValueFrom(replayFile(path).pipe(toArray()))).toEqual(rows);
    expect(await lastValueFrom(replayFile(path).pipe(take(1), toArray()))).toEqual([rows[0]]);
  });
});
