import { parseArgs, type ParseArgsConfig } from "node:util";

type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

/** A command-line mistake: printed as "gradscope: <message>" with exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with errors that say which flag is wrong. */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false): Parsed<T> {
  // "--at -1,0,1": a value that starts with a minus sign would read as a flag; glue it to its option
  const args = argv.map((a, i) => {
    const prev = argv[i - 1];
    return prev?.startsWith("--") && options[prev.slice(2)]?.type === "string" && /^-[\d.]/.test(a) ? `\0${a}` : a;
  }).reduce<string[]>((out, a) => {
    if (a.startsWith("\0")) out[out.length - 1] += `=${a.slice(1)}`;
    else out.push(a);
    return out;
  }, []);
  try {
    return parseArgs({ args, options, allowPositionals, strict: true as const });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^.*?Unknown option/, "unknown option"));
  }
}

/** A number flag, checked: `--lr must be a positive number, got "abc"`. */
export function numberFlag(
  name: string, raw: string | undefined, fallback: number,
  { integer = false, min = -Infinity, exclusiveMin = false }: { integer?: boolean; min?: number; exclusiveMin?: boolean } = {},
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const ok = raw.trim() !== "" && Number.isFinite(value) && (!integer || Number.isInteger(value))
    && (exclusiveMin ? value > min : value >= min);
  if (!ok) {
    const kind = integer ? "integer" : "number";
    const what = min === -Infinity ? `a finite ${kind}`
      : min === 0 && exclusiveMin ? `a positive ${kind}`
      : min === 0 ? `a non-negative ${kind}`
      : `a ${kind} ${exclusiveMin ? ">" : "≥"} ${min}`;
    throw new UsageError(`--${name} must be ${integer && min === 1 && !exclusiveMin ? "a positive integer" : what}, got "${raw}"`);
  }
  return value;
}

/** `1,2.5,-3` → [1, 2.5, -3]. */
export function numberList(name: string, raw: string): number[] {
  return raw.split(",").map((s) => {
    const v = Number(s);
    if (s.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--${name}: "${s}" is not a number`);
    return v;
  });
}

/** `["alpha=0.1", "beta=2"]` → { alpha: 0.1, beta: 2 }. */
export function paramFlags(raw: string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of raw ?? []) {
    const m = /^([A-Za-z_$][\w$]*)=(.+)$/.exec(item);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw new UsageError(`--param expects name=number, got "${item}"`);
    out[m[1]!] = v;
  }
  return out;
}
