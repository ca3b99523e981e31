import { loadDigits } from "@gradscope/core/node";
import { alertLine, createControl, headerRow, recordRows, resolveRunConfig, train, type LayerRow, type Row } from "@gradscope/stream";
import { lastValueFrom, tap } from "rxjs";
import { numberFlag, parse, UsageError } from "../args.js";
import { atomicFile, type AtomicFile } from "../atomicFile.js";
import { runConfigFromFlags, trainFlags, trainFlagsHelp } from "../config.js";
import { gradientStrip } from "../gradientStrip.js";
import { packageVersions } from "../versions.js";

export const help = `gradscope run [flags] [--out run.ndjson] [--every N]
  Trains while showing, live, the step, loss and a per-layer gradient-flow strip (‖∂L/∂z‖ per
  layer, input side first, one block per decade), alerts as they happen, and writes the rows as
  NDJSON with a header row (every step row; layer rows on the schedule of --every). Keys on a terminal: space pause/resume, s step, + / − double / halve
  the learning rate, q (or Ctrl-C, SIGTERM, SIGHUP) stop — the file keeps everything up to the stop.
  Exit status 1 when the run diverges.
${trainFlagsHelp}
  --out FILE          write the rows as NDJSON (default: no file)
  --every N           layer rows every N steps; --every 1 records every step. Default: every step up to
                      step 999, every 10th up to 9,999, every 100th up to 99,999, every 1000th beyond, and
                      the last step (~3,700 probed steps in 1M: a 1M-step recording is ~200 MB, not 3 GB)
  --distributions N   percentile-band rows every N steps (default 0 = none)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...trainFlags, out: { type: "string" }, every: { type: "string" }, distributions: { type: "string" } });
  const config = resolveRunConfig({
    ...runConfigFromFlags(values),
    // layer rows densely early, ten times sparser per decade (probeDue): a 1M-step recording stays a few
    // hundred MB; --every N asks for every N-th step instead (--every 1: all of them)
    probes: {
      every: numberFlag("every", values.every, 1, { integer: true, min: 1 }),
      schedule: values.every === undefined ? "log" : "every",
      distributionsEvery: numberFlag("distributions", values.distributions, 0, { integer: true, min: 0 }),
    },
  });
  if (config.steps === Infinity) throw new UsageError("--steps must be finite for run");
  // the recording goes to a temporary file, renamed over --out when the run ends (completed, stopped or
  // diverged): a run that fails to build or crashes leaves an existing file as it was
  const file: AtomicFile | undefined = values.out ? atomicFile(values.out) : undefined;
  const control = createControl();
  const out = process.stderr;
  const tty = out.isTTY === true;
  const stdin = process.stdin;
  const keys = tty && stdin.isTTY === true;

  // live display state
  let lastLayers: LayerRow[] = [];
  let pending: LayerRow[] = [];
  let status = "", lastDraw = 0, lastDecile = -1, loss = NaN, step = 0;
  const draw = (force = false) => {
    const strip = gradientStrip(lastLayers.map((l) => l.gradNormZ));
    const range = lastLayers.length ? `${lastLayers[0]!.gradNormZ.toExponential(0)}…${lastLayers.at(-1)!.gradNormZ.toExponential(0)}` : "";
    const line = `step ${step}/${config.steps}  loss ${loss.toFixed(4)}  ∂L/∂z ${strip} ${range}${control.state === "paused" ? "  [paused]" : ""}`;
    if (tty) {
      const now = performance.now();
      if (!force && now - lastDraw < 80) return;
      lastDraw = now;
      out.write(`\r\x1b[2K${line}`);
    } else {
      const decile = Math.floor((10 * step) / Math.max(config.steps, 1));
      if (!force && decile === lastDecile) return;
      lastDecile = decile;
      out.write(`${line}\n`);
    }
  };
  const say = (text: string) => out.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);

  const onKey = (buf: Buffer) => {
    const k = buf.toString();
    if (k === " ") (control.state === "paused" ? control.resume() : control.pause());
    else if (k === "s") { if (control.state !== "paused") control.pause(); control.step(); }
    else if (k === "+" || k === "-") {
      const lr = (control.lr ?? config.lr) * (k === "+" ? 2 : 0.5);
      control.setLearningRate(lr);
      say(`learning rate → ${lr}`);
    } else if (k === "q" || k === "\u0003") control.stop();
    draw(true);
  };
  const onSigint = () => control.stop();
  if (keys) {
    stdin.setRawMode(true);
    stdin.on("data", onKey);
    stdin.resume();
    say("keys: space pause/resume · s step · +/− learning rate · q stop");
  }
  // Ctrl-C, and a polite kill (SIGTERM, a closed terminal's SIGHUP): stop between steps, keep the recording
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSigint);

  let rows$ = train(config, { control, loadDigits }).pipe(
    tap((row: Row) => {
      if (row.type === "step") { step = row.step; loss = row.loss; }
      else if (row.type === "layer") {
        if (pending.length && pending[0]!.step !== row.step) pending = [];
        pending.push(row);
        if (row.activation === "none") { lastLayers = pending; pending = []; }
      } else if (row.type === "alert") say(alertLine(row));
      else if (row.type === "eval") status = `held-out loss ${row.loss.toFixed(4)}, accuracy ${(100 * row.accuracy).toFixed(1)} %`;
      else if (row.type === "status") status = `${row.status} at step ${row.step}; ${status}`;
      draw();
    }),
  );
  if (file) {
    const header = headerRow({ run: config.run, config: config as unknown as Record<string, unknown>, versions: packageVersions(), seed: config.seed });
    rows$ = rows$.pipe(recordRows((line) => file.write(line), header));
  }
  let final: Row | undefined;
  try {
    final = await lastValueFrom(rows$);
    file?.commit();
  } finally {
    file?.abort();
    if (keys) {
      stdin.setRawMode(false);
      stdin.off("data", onKey);
      stdin.pause();
    }
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, onSigint);
  }
  draw(true);
  if (tty) out.write("\n");
  process.stdout.write(`${status}${values.out ? `; rows written to ${values.out}` : ""}\n`);
  return final?.type === "status" && final.status === "diverged" ? 1 : 0;
}
