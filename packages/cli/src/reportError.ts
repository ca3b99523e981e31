import { UsageError } from "./args.js";

/** File-system errors that mean the input or the path given was wrong (exit 2), with words a reader would use. */
const BAD_PATH: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many symbolic links",
  EEXIST: "already exists",
};

/** File-system errors that mean the machine failed the run (exit 1). */
const FAILED: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error (the disk or file system failed)",
  EROFS: "read-only file system",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EFBIG: "file too large",
  EPIPE: "the output was closed",
};

/** Errors that describe bad usage or bad input: the configuration, a flag, a recording. */
function isBadInput(e: Error): boolean {
  return e instanceof UsageError || e instanceof RangeError || e.name === "NdjsonError" || e.name === "RecordingError" || e.name === "QueueError";
}

/**
 * The exit status and the one line that describe a failure: 2 for bad usage or input (a flag, a config, a
 * recording, a path that is not there or is a directory), 1 for a run that failed (no space left, an I/O
 * error, anything unexpected). Messages are one line: a multi-line message is joined.
 *
 * @example
 * describeError(Object.assign(new Error("…"), { code: "EISDIR", path: "runs" }))
 * // { status: 2, line: "runs: is a directory, not a file (EISDIR)" }
 */
export function describeError(error: unknown): { status: 1 | 2; line: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  const { code, path, syscall } = e as NodeJS.ErrnoException;
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ").trim();
  if (typeof code === "string" && (code in BAD_PATH || code in FAILED)) {
    const what = BAD_PATH[code] ?? FAILED[code]!;
    const where = path ? `${path}: ` : "";
    return { status: code in BAD_PATH ? 2 : 1, line: oneLine(`${where}${what} (${code}${syscall ? ` on ${syscall}` : ""})`) };
  }
  if (isBadInput(e)) return { status: 2, line: oneLine(e.message) };
  return { status: 1, line: oneLine(`${e.name === "Error" ? "" : `${e.name}: `}${e.message}`) };
}

/**
 * Prints a failure as one line on stderr, `gradscope <command>: <problem>`, and the stack only when `debug`
 * (the `--debug` flag); returns the exit status.
 */
export function reportError(error: unknown, options: { command: string; debug?: boolean }): 1 | 2 {
  const { status, line } = describeError(error);
  const prefix = options.command ? `gradscope ${options.command}` : "gradscope";
  process.stderr.write(`${prefix}: ${line}\n`);
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return status;
}

/**
 * For the entry point: what escapes `main` (an error event on a stream, a throw in a callback) is still one
 * line and an exit status, not a stack; EPIPE on stdout (`gradscope replay run.ndjson | head`) ends quietly.
 */
export function onUncaughtError(argv: readonly string[]): void {
  process.on("uncaughtException", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0); // the reader of our output left: nothing more to say
    process.exit(reportError(e, { command: argv[0] ?? "", debug: argv.includes("--debug") }));
  });
}
