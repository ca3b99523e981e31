import { reportError } from "./reportError.js";

/** What a command module exports. */
interface Command {
  help: string;
  run(argv: string[]): number | Promise<number>;
}

/**
 * Every command, loaded only when it is asked for: loading them all took ~0.7 s of every start (jsdom for the
 * report alone ~0.35 s, views, BullMQ), a sweep of short runs or a `--help` paid for all of it.
 */
const commands: Record<string, { summary: string; load(): Promise<Command> }> = {
  activations: { summary: "every activation, its parameters, f and f′ at points", load: () => import("./commands/activations.js") },
  gradcheck: { summary: "check derivatives against finite differences (exit 1 on failure)", load: () => import("./commands/gradcheck.js") },
  train: { summary: "train an MLP with a progress bar; final train and held-out accuracy", load: () => import("./commands/train.js") },
  run: { summary: "train with a live gradient-flow strip; record rows as NDJSON", load: () => import("./commands/run.js") },
  replay: { summary: "replay a recording, or summarise it", load: () => import("./commands/replay.js") },
  reproduce: { summary: "reproduce a result of the literature beside theory, with a verdict", load: () => import("./commands/reproduce.js") },
  compare: { summary: "race activations over seeds in parallel; table and recommendation", load: () => import("./commands/compare.js") },
  advise: { summary: "the advisor's recommendation on several data sets and depths, as a Markdown table", load: () => import("./commands/advise.js") },
  report: { summary: "write a self-contained HTML report of recordings", load: () => import("./commands/report.js") },
  sweep: { summary: "run a sweep file on this machine's cores or on BullMQ workers; status, retry, cancel, collect", load: () => import("./commands/sweep.js") },
  worker: { summary: "train queued sweep runs (BullMQ on Redis) in worker threads", load: () => import("./commands/worker.js") },
};

const usage = () => `usage: gradscope <command> [flags]   (gradscope help <command> for its flags; --debug adds stacks to errors)

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`).join("\n")}
`;

/**
 * Runs the CLI (the `gradscope` executable is bin.ts, which calls this); returns the exit status: 0, 1 for a run that failed, 2 for bad usage or input. A failure
 * prints one line naming the problem (`gradscope run: …`); `--debug` anywhere adds the stack.
 */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const [name, ...rest] = argv.filter((a) => a !== "--debug");
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(usage());
      return 0;
    }
    if (!Object.hasOwn(commands, topic)) {
      process.stderr.write(`gradscope help: unknown command "${topic}" (known: ${Object.keys(commands).join(", ")})\n`);
      return 2;
    }
    process.stdout.write((await commands[topic]!.load()).help + "\n");
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    process.stderr.write(`gradscope: unknown command "${name}" (known: ${Object.keys(commands).join(", ")}; gradscope help for more)\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(command.help + "\n");
      return 0;
    }
    return await command.run(rest);
  } catch (e) {
    return reportError(e, { command: name, debug });
  }
}
