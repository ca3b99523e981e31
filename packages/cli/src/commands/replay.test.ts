import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { alertLine, type AlertRow } from "@gradscope/stream";
import { cli } from "../internal/testing/cli.js";

/** Bad recordings: each is named by file, line and field, exit 2, by replay, replay --summary and report. */
describe("gradscope replay and report on bad recordings", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradscope-recordings-"));
  const good = join(dir, "good.ndjson");
  let lines: string[] = [];
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  /** The three readers must agree: the same one line, exit 2. */
  const expectAllRefuse = async (file: string, message: string) => {
    for (const argv of [["replay", file], ["replay", file, "--summary"], ["report", file, "--out", join(dir, "r.html")]]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).toBe(`gradscope ${argv[0]}: ${file}: ${message}\n`);
    }
  };

  beforeAll(async () => {
    expect((await cli("run", "--steps", "4", "--depth", "2", "--width", "4", "--out", good)).code).toBe(0);
    lines = readFileSync(good, "utf8").trimEnd().split("\n");
  });

  it("an empty recording says it has no rows", async () => {
    await expectAllRefuse(write("empty.ndjson", ""), "the recording is empty: no rows");
  });
  it("a header-only recording says it has no rows", async () => {
    await expectAllRefuse(write("header.ndjson", `${lines[0]}\n`), "the recording has a header (line 1) but no rows: the run recorded nothing");
  });
  it("a row with a missing field names the line and the field (no TypeError)", async () => {
    const rows = [...lines];
    const i = rows.findIndex((l) => l.includes('"type":"step"'));
    const { loss: _, ...row } = JSON.parse(rows[i]!) as Record<string, unknown>;
    rows[i] = JSON.stringify(row);
    await expectAllRefuse(write("missing.ndjson", rows.join("\n") + "\n"), `line ${i + 1}: a "step" row has no "loss"`);
  });
  it("a wrongly typed field names the line, the field and the value", async () => {
    const rows = [...lines];
    const i = rows.findIndex((l) => l.includes('"type":"layer"'));
    rows[i] = JSON.stringify({ ...(JSON.parse(rows[i]!) as object), gradNormZ: "big" });
    await expectAllRefuse(write("typed.ndjson", rows.join("\n") + "\n"), `line ${i + 1}: "gradNormZ" of a "layer" row must be a number, got string "big"`);
  });
  it("a UTF-8 byte order mark is accepted", async () => {
    const bom = write("bom.ndjson", "\uFEFF" + lines.join("\n") + "\n");
    const a = await cli("replay", bom, "--summary", "--json");
    const b = await cli("replay", good, "--summary", "--json");
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect((await cli("report", bom, "--out", join(dir, "bom.html"))).code).toBe(0);
  });
  it("words an alert as `gradscope run` does (alertLine), in the replay and in its summary", async () => {
    const rows = [...lines];
    const i = rows.findIndex((l) => l.includes('"type":"step"'));
    const { run, step } = JSON.parse(rows[i]!) as { run: string; step: number };
    const alert: AlertRow = { type: "alert", run, step, kind: "dead", layer: 0, value: 0.75, threshold: 0.5, message: "dead units: 75% of layer 0's units are dead (threshold 50%)" };
    rows.splice(i + 1, 0, JSON.stringify(alert));
    const file = write("alert.ndjson", rows.join("\n") + "\n");
    const expected = `alert (dead) at step ${step}: dead units: 75% of layer 0's units are dead (threshold 50%)`;
    expect(alertLine(alert)).toBe(expected);
    for (const argv of [[file], [file, "--summary"]]) {
      const r = await cli("replay", ...argv);
      expect(r.code).toBe(0);
      expect(r.out.split("\n")).toContain(expected);
    }
  });
});
