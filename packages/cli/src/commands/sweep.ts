import { availableParallelism } from "node:os";
import { numberFlag, parse, UsageError } from "../args.js";
import { packageVersions } from "../versions.js";
import { collectSweep } from "../sweep/collectSweep.js";
import { expandSweep } from "../sweep/expandSweep.js";
import type { SweepStatus } from "../sweep/queue/sweepAdmin.js";
import { parseRedisUrl, withScrubbedOutput, type RedisTarget } from "../sweep/queue/redisUrl.js";
import { runLocalSweep } from "../sweep/runLocalSweep.js";
import { loadSweepFile } from "../sweep/sweepFile.js";
import { writeManifest } from "../sweep/sweepManifest.js";
import { sweepProgress } from "../sweep/sweepProgress.js";

export const help = `gradscope sweep FILE --out DIR [--jobs N] [--retry-failed] [--dry-run] [--queue URL [--no-wait]]
gradscope sweep status|retry|cancel NAME --queue URL [--json]
gradscope sweep collect DIR --out runs.parquet
  FILE (YAML or JSON): name, base (a run config), grid (key: [values]), random (count, seed, axes),
  seeds ([1, 2, 3] or a count), steps, stop (targetLoss, divergeAbove), keep (row types to record).
  Each run has a stable id from its point, e.g. act-depth.activation-relu.depth-2.seed-1, and is recorded
  to DIR/<id>.ndjson (a temporary file renamed when the run ends). Running the command again resumes:
  finished runs are skipped, failed ones (DIR/<id>.failed.json) re-run only with --retry-failed.
  --jobs N         local runs at once, one worker thread each (default: the machine's cores)
  --dry-run        print the run count and the first runs, run nothing
  --queue URL      redis://[user:password@]HOST:PORT[/db] or rediss:// (TLS): submit to BullMQ workers
                   (gradscope worker --queue URL); job id = run id, so submitting again adds nothing.
                   This process writes each recording to DIR as its job completes (the workers send
                   them back through the queue). The password is never printed.
  --no-wait        with --queue: submit and return; the same command later collects what finished
  status NAME      a queued sweep's jobs per state, failures and running runs
  retry NAME       put a queued sweep's failed jobs back in the queue
  cancel NAME      remove a queued sweep's waiting jobs and stop its running ones
  collect DIR      one row per run (config, final and best metrics, steps to target, status, timings)
                   written as Parquet`;

export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "status" || first === "retry" || first === "cancel") return admin(first, rest);
  if (first === "collect") return collect(rest);
  return sweep(argv);
}

async function sweep(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: "string" }, jobs: { type: "string" }, "retry-failed": { type: "boolean" }, "dry-run": { type: "boolean" },
    queue: { type: "string" }, "no-wait": { type: "boolean" },
  }, true);
  if (positionals.length !== 1) throw new UsageError("sweep takes one sweep FILE (YAML or JSON), or status|retry|cancel|collect");
  const spec = loadSweepFile(positionals[0]!);
  const runs = expandSweep(spec);
  if (values["dry-run"]) {
    const axes = [...Object.keys(spec.grid), ...Object.keys(spec.random?.axes ?? {})];
    process.stdout.write(`${spec.name}: ${runs.length} runs (${axes.length ? axes.join(" × ") + " × " : ""}${spec.seeds.length} seed${spec.seeds.length === 1 ? "" : "s"})\n`);
    for (const r of runs.slice(0, 5)) process.stdout.write(`  ${r.id}  ${JSON.stringify({ ...r.point, seed: r.seed })}\n`);
    if (runs.length > 5) process.stdout.write(`  … ${runs.length - 5} more\n`);
    return 0;
  }
  if (!values.out) throw new UsageError("--out DIR is required (where the recordings go)");
  const outDir = values.out;
  const jobs = numberFlag("jobs", values.jobs, Math.max(1, availableParallelism()), { integer: true, min: 1 });
  writeManifest(outDir, spec);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  try {
    if (values.queue) return await queued(values.queue, values["no-wait"] === true);
    const progress = sweepProgress({ total: runs.length });
    const result = await runLocalSweep(runs, {
      outDir, concurrency: jobs, stop: spec.stop, keep: spec.keep, retryFailed: values["retry-failed"] === true,
      signal: abort.signal, onEvent: progress.event,
    });
    progress.close();
    process.stdout.write(`${spec.name}: ${result.ran.length} ran, ${result.skipped.length} skipped (finished before), ${result.failed.length} failed${result.interrupted ? "; interrupted: run the same command to resume" : ""}; recordings in ${outDir}\n`);
    for (const f of result.failed) process.stdout.write(`failed ${f.id}: ${f.error}\n`);
    return result.interrupted ? 130 : result.failed.length > 0 ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }

  async function queued(url: string, noWait: boolean): Promise<number> {
    const target = parseRedisUrl(url);
    return withScrubbedOutput(target.secrets, async () => {
      await checkReachable(target);
      const [{ connect }, { submitSweep }] = await Promise.all([import("../sweep/queue/queueConnection.js"), import("../sweep/queue/submitSweep.js")]);
      const progress = sweepProgress({ total: runs.length });
      const result = await submitSweep(runs, {
        sweep: spec.name, connect: () => connect(target).redis, outDir, version: version(), stop: spec.stop, keep: spec.keep,
        retryFailed: values["retry-failed"] === true, wait: !noWait, signal: abort.signal, onEvent: progress.event,
      });
      if (!noWait) progress.close();
      process.stdout.write(`${spec.name} on ${target.display}: ${result.added} jobs added, ${result.skipped.length} runs skipped (recorded before), ${result.written.length} recordings written, ${result.failed.length} failed, ${result.pending.length} still queued or running; recordings in ${outDir}\n`);
      for (const f of result.failed) process.stdout.write(`failed ${f.id}: ${f.error}\n`);
      if (result.pending.length > 0) process.stdout.write("the queued runs go on on the workers; run the same command again to collect them\n");
      return result.failed.length > 0 ? 1 : 0;
    });
  }
}

/** The `@gradscope/cli` version: a queued job carries it and a worker of another version refuses it. */
export const version = () => packageVersions()["@gradscope/cli"]!;

/** Fails fast, with one line, when the queue cannot be reached (a wrong host, port or password). */
export async function checkReachable(target: RedisTarget): Promise<void> {
  // BullMQ and ioredis load here, not at start (~75 ms): a local sweep never needs them
  const { connect, ready } = await import("../sweep/queue/queueConnection.js");
  const { redis, lastError } = connect(target);
  try {
    await ready(redis, target, lastError);
  } finally {
    redis.disconnect();
  }
}

async function admin(kind: "status" | "retry" | "cancel", argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { queue: { type: "string" }, json: { type: "boolean" } }, true);
  if (positionals.length !== 1) throw new UsageError(`sweep ${kind} takes the sweep's NAME`);
  if (!values.queue) throw new UsageError("--queue URL is required");
  const target = parseRedisUrl(values.queue);
  const name = positionals[0]!;
  return withScrubbedOutput(target.secrets, async () => {
    await checkReachable(target);
    const [{ connect }, { cancelSweep, retrySweep, sweepStatus }] = await Promise.all([import("../sweep/queue/queueConnection.js"), import("../sweep/queue/sweepAdmin.js")]);
    const open = () => connect(target).redis;
    if (kind === "status") {
      const s = await sweepStatus(open, name);
      process.stdout.write(values.json ? JSON.stringify(s, null, 2) + "\n" : formatStatus(s));
      return 0;
    }
    if (kind === "retry") {
      const n = await retrySweep(open, name);
      process.stdout.write(values.json ? JSON.stringify({ sweep: name, retried: n }) + "\n" : `${name}: ${n} failed job${n === 1 ? "" : "s"} back in the queue\n`);
      return 0;
    }
    const c = await cancelSweep(open, name);
    process.stdout.write(values.json ? JSON.stringify({ sweep: name, ...c }) + "\n" : `${name}: cancelled; ${c.removed} waiting job${c.removed === 1 ? "" : "s"} removed, ${c.running} running job${c.running === 1 ? "" : "s"} told to stop\n`);
    return 0;
  });
}

function formatStatus(s: SweepStatus): string {
  const c = s.counts;
  const queued = c.waiting + c.prioritized + c.delayed + c["waiting-children"];
  return [
    `${s.sweep}${s.cancelled ? " (cancelled)" : ""}: ${s.total} jobs · ${c.completed} done · ${c.active} running · ${c.failed} failed · ${queued} queued`,
    ...s.active.map((a) => `  running ${a.id}${a.step !== null ? ` step ${a.step}/${a.steps}` : ""}`),
    ...s.failed.map((f) => `  failed ${f.id}: ${f.reason}`),
  ].join("\n") + "\n";
}

async function collect(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: "string" } }, true);
  if (positionals.length !== 1) throw new UsageError("sweep collect takes the sweep's DIR");
  if (!values.out) throw new UsageError("--out runs.parquet is required");
  const { rows, columns } = await collectSweep(positionals[0]!, values.out);
  process.stdout.write(`wrote ${values.out}: ${rows} run${rows === 1 ? "" : "s"}, ${columns} columns\n`);
  return 0;
}
