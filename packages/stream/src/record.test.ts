import { from, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { encodeRow, headerRow, recordRows, toNdjson } from "./record.js";
import { parseNdjson } from "./replay.js";
import { ROW_FORMAT, type Row } from "./rows.js";

const header = headerRow({ run: "sigmoid", config: { depth: 50, lr: 0.1 }, versions: { "@gradscope/stream": "0.1.0" }, seed: 1, createdAt: "2024-01-01T00:00:00.000Z" });

/** Rows with every kind of awkward value: non-finite numbers (also nested), unknown types and fields, a run named "NaN". */
const rows: Row[] = [
  { type: "step", run: "sigmoid", step: 1, loss: 0.69, accuracy: 0.5, lr: 0.1, ms: 2.5, probeMs: 0.1, epoch: 0 },
  { type: "step", run: "NaN", step: 2, loss: NaN, accuracy: 0.5, lr: Infinity, ms: -Infinity, probeMs: 0, epoch: 0 },
  { type: "histogram", run: "sigmoid", step: 2, layer: 0, of: "pre", bins: [-Infinity, 0, Infinity], counts: [3, 4] },
  { type: "alert", run: "sigmoid", step: 2, kind: "diverged", message: "NaN", value: NaN },
  { type: "future", run: "sigmoid", step: 3, nested: { a: [1, "x", NaN] } } as unknown as Row,
  { type: "status", run: "sigmoid", step: 3, status: "diverged", newerField: true } as unknown as Row,
];

const record = (input: Row[]) => {
  let text = "";
  from(input).pipe(toNdjson(header), toArray()).subscribe((lines) => (text = lines.join("")));
  return text;
};

describe("toNdjson", () => {
  it("writes the header first, then one line per row", () => {
    const lines = record(rows).split("\n");
    expect(lines).toHaveLength(rows.length + 2); // and a final newline
    expect(JSON.parse(lines[0]!)).toEqual({ ...header, format: ROW_FORMAT, step: 0 });
    expect(lines.at(-1)).toBe("");
  });

  it("writes NaN and ±Infinity as strings", () => {
    const line = record([rows[1]!]).split("\n")[1];
    expect(line).toBe('{"type":"step","run":"NaN","step":2,"loss":"NaN","accuracy":0.5,"lr":"Infinity","ms":"-Infinity","probeMs":0,"epoch":0}');
  });

  it("a non-finite number deep inside a row is found (a row without one is written as plain JSON.stringify writes it)", () => {
    const deep = { type: "future", run: "r", step: 1, a: { b: [[1, 2], { c: -Infinity }] } } as unknown as Row;
    expect(encodeRow(deep)).toBe('{"type":"future","run":"r","step":1,"a":{"b":[[1,2],{"c":"-Infinity"}]}}');
    const finite = { type: "future", run: "r", step: 1, a: { b: [[1, -0], { c: 1e-320 }], d: null } } as unknown as Row;
    expect(encodeRow(finite)).toBe(JSON.stringify(finite));
  });

  it("round-trips: rows → NDJSON → parse gives identical rows, NaN and Infinity included", () => {
    const parsed = parseNdjson(record(rows));
    expect(parsed).toEqual({ header, rows, warnings: [] });
  });
});

describe("recordRows", () => {
  it("passes rows through and writes the header and each row's line", () => {
    const lines: string[] = [];
    let out: Row[] = [];
    from(rows).pipe(recordRows((line) => lines.push(line), header), toArray()).subscribe((r) => (out = r));
    expect(out).toEqual(rows);
    expect(lines.join("")).toBe(record(rows));
  });
});
