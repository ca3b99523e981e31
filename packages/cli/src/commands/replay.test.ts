import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
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
});
