import { vi } from "vitest";
import { main } from "@gradscope/cli";

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the `gradscope` CLI in-process with these arguments and captures stdout and stderr, so tests
 * read like a shell session: `const { code, out } = await cli("train", "--steps", "10")`.
 */
export async function cli(...argv: string[]): Promise<CliResult> {
  let out = "", err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
