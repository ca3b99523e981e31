import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let known: Record<string, string> | undefined;

/**
 * Versions of the gradscope packages, for recordings' headers. Read once per process (a sweep writes a
 * header per run; resolving and reading three package.json files each time showed in its profile).
 */
export function packageVersions(): Record<string, string> {
  known ??= readVersions();
  return { ...known };
}

function readVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  for (const name of ["@gradscope/core", "@gradscope/stream", "@gradscope/cli"]) {
    try {
      out[name] = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
    } catch {
      out[name] = "unknown";
    }
  }
  out.node = process.version;
  return out;
}
