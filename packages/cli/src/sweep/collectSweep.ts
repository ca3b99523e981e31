import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { parquetWriteBuffer } from "hyparquet-writer";
import { resolveRunConfig } from "@gradscope/stream";
import { readNdjson } from "@gradscope/stream/node";
import { expandSweep } from "./expandSweep.js";
import { failurePath, recordingPath } from "./recordings.js";
import { sweepRunSummarizer, type SweepRunSummary } from "./sweepRunSummary.js";
import { readManifest } from "./sweepManifest.js";

/** Config fields that become columns (nested ones – probes, alerts – stay in the recordings). */
const configColumns = ["dataset", "activation", "params", "depth", "width", "init", "biasInit", "perUnit", "optimizer", "lr", "batchSize", "steps", "seed", "precision", "n", "noise", "threads"];

/** One row of a sweep's table: a run's config fields and its summary. */
export type SweepTableRow = Record<string, string | number | boolean>;

/**
 * Summarises every run of a sweep directory: one row per recording (`<id>.ndjson`, read as a stream)
 * and per failed run (`<id>.failed.json`, status "failed", metrics NaN), in run-id order. With the
 * directory's `sweep.json`, failed runs get their config and stepsToTarget uses its stop.targetLoss.
 * @example
 * const rows = await sweepTable("out"); rows[0].activation; rows[0].testLoss;
 */
export async function sweepTable(dir: string, { targetLoss }: { targetLoss?: number } = {}): Promise<SweepTableRow[]> {
  const spec = readManifest(dir);
  const target = targetLoss ?? spec?.stop.targetLoss;
  const configs = new Map(spec ? expandSweep(spec).map((r) => [r.id, r.config]) : []);
  const ids = new Set<string>();
  for (const f of readdirSync(dir)) {
    const m = /^([^.].*)\.(ndjson|failed\.json)$/.exec(f);
    if (m) ids.add(m[1]!);
  }
  const rows: SweepTableRow[] = [];
  for (const id of [...ids].sort()) {
    const file = recordingPath(dir, id);
    if (existsSync(file)) {
      let config: Record<string, unknown> = {};
      const s = sweepRunSummarizer(id, { ...(target !== undefined ? { targetLoss: target } : {}) });
      for await (const row of readNdjson(file, { onHeader: (h) => { config = h.config; s.header(h); }, onWarning: () => {} })) s.add(row);
      rows.push(tableRow(config, s.result()));
    } else {
      const failure = JSON.parse(readFileSync(failurePath(dir, id), "utf8")) as { error: string; at: string };
      const config = configs.has(id) ? (resolveRunConfig(configs.get(id)) as unknown as Record<string, unknown>) : {};
      const summary = sweepRunSummarizer(id).result();
      rows.push(tableRow(config, { ...summary, status: "failed", message: failure.error, startedAt: failure.at }));
    }
  }
  return rows;
}

function tableRow(config: Record<string, unknown>, summary: SweepRunSummary): SweepTableRow {
  const row: SweepTableRow = { id: summary.id };
  for (const key of configColumns) {
    const v = config[key];
    if (v === undefined) continue;
    row[key] = typeof v === "object" ? JSON.stringify(v) : (v as string | number | boolean);
  }
  const { id: _, ...rest } = summary;
  return { ...row, ...rest };
}

/**
 * `sweep collect`: writes the sweep table of `dir` to a Parquet file (hyparquet-writer, pure
 * JavaScript). Numbers are DOUBLE columns – NaN (a diverged run's loss, a target never reached) stays a
 * double NaN, not a string – strings are UTF-8, booleans BOOLEAN; a column mixing types (init: "he" or
 * 0.1) is written as strings. A field a run lacks is null.
 */
export async function collectSweep(dir: string, out: string): Promise<{ rows: number; columns: number }> {
  const rows = await sweepTable(dir);
  if (rows.length === 0) throw new RangeError(`no recordings in ${dir}`);
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columnData = names.map((name) => {
    const values = rows.map((r) => r[name]);
    const present = values.filter((v) => v !== undefined);
    if (present.every((v) => typeof v === "number")) return { name, data: values.map((v) => (v === undefined ? null : v)), type: "DOUBLE" as const };
    if (present.every((v) => typeof v === "boolean")) return { name, data: values.map((v) => (v === undefined ? null : v)), type: "BOOLEAN" as const };
    return { name, data: values.map((v) => (v === undefined ? null : String(v))), type: "STRING" as const };
  });
  writeFileSync(out, Buffer.from(parquetWriteBuffer({ columnData, kvMetadata: [{ key: "gradscope.sweep", value: readManifest(dir)?.name ?? "" }] })));
  return { rows: rows.length, columns: names.length };
}
