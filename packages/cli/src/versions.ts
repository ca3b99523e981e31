import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Versions of the gradscope packages, for recordings' headers. */
export function packageVersions(): Record<string, string> {
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
