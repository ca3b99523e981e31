import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SweepSpec } from "./sweepFile.js";

/** `DIR/sweep.json`: the sweep whose recordings DIR holds, so `report` and `collect` know its axes. */
export const manifestPath = (dir: string) => join(dir, "sweep.json");

/** Reads `DIR/sweep.json`, or null when DIR holds no sweep. */
export function readManifest(dir: string): SweepSpec | null {
  const path = manifestPath(dir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as SweepSpec) : null;
}

/**
 * Writes `DIR/sweep.json`, refusing when DIR already holds a different sweep: its finished runs would
 * otherwise be taken for this sweep's (same ids, other settings) and skipped.
 */
export function writeManifest(dir: string, spec: SweepSpec): void {
  const existing = readManifest(dir);
  const text = JSON.stringify(spec, null, 2) + "\n";
  if (existing && JSON.stringify(existing, null, 2) + "\n" !== text) {
    const diff = Object.keys({ ...existing, ...spec }).filter((k) => JSON.stringify(existing[k as keyof SweepSpec]) !== JSON.stringify(spec[k as keyof SweepSpec]));
    throw new RangeError(`${dir} holds the recordings of a different sweep "${existing.name}" (${diff.join(", ")} differ${diff.length === 1 ? "s" : ""}); use another --out`);
  }
  mkdirSync(dir, { recursive: true });
  if (!existing) writeFileSync(manifestPath(dir), text);
}
