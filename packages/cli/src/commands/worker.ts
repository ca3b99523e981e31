import { availableParallelism } from "node:os";
import { numberFlag, parse, UsageError } from "../args.js";
import { connect } from "../sweep/queue/queueConnection.js";
import { parseRedisUrl, withScrubbedOutput } from "../sweep/queue/redisUrl.js";
import { startSweepWorker } from "../sweep/queue/sweepWorker.js";
import { checkReachable, version } from "./sweep.js";

export const help = `gradscope worker --queue URL [--concurrency N] [--exit-when-idle S]
  Takes runs of any sweep submitted with gradscope sweep FILE --queue URL and trains them, each in its
  own worker thread; the recording goes back through the queue to the submitting process. Start as
  many as you like, on any machines that reach the Redis server. A job of another gradscope version,
  with an unsafe run id or a config that is not a valid run config is refused (logged, failed, not
  retried) and the worker goes on. If a worker dies, its runs go back to the queue ~5–10 s later.
  --queue URL           redis://[user:password@]HOST:PORT[/db] or rediss:// (TLS); the password is never printed
  --concurrency N       runs at once (default: the machine's cores)
  --exit-when-idle S    exit after S seconds without a job (default: run until Ctrl-C)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { queue: { type: "string" }, concurrency: { type: "string" }, "exit-when-idle": { type: "string" } }, true);
  if (positionals.length > 0) throw new UsageError(`worker takes no arguments, got ${JSON.stringify(positionals[0])}`);
  if (!values.queue) throw new UsageError("--queue URL is required, e.g. --queue redis://127.0.0.1:6379");
  const concurrency = numberFlag("concurrency", values.concurrency, Math.max(1, availableParallelism()), { integer: true, min: 1 });
  const idle = values["exit-when-idle"] === undefined ? Infinity : numberFlag("exit-when-idle", values["exit-when-idle"], 0, { min: 0, exclusiveMin: true });
  const target = parseRedisUrl(values.queue);
  return withScrubbedOutput(target.secrets, async () => {
    await checkReachable(target);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    const worker = startSweepWorker({ connect: () => connect(target).redis, concurrency, version: version(), log });
    log(`worker ${process.pid} on ${target.display}: ${concurrency} at once (gradscope ${version()})`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearInterval(timer);
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      const timer = setInterval(() => { if (worker.idleMs() >= idle * 1000) stop(); }, 250);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    log(`worker ${process.pid}: stopping (running runs finish first)`);
    await worker.close();
    return 0;
  });
}
