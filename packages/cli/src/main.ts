import * as activations from "./commands/activations.js";
import * as advise from "./commands/advise.js";
import * as compare from "./commands/compare.js";
import * as gradcheck from "./commands/gradcheck.js";
import * as replay from "./commands/replay.js";
import * as report from "./commands/report.js";
import * as reproduce from "./commands/reproduce.js";
import * as runCommand from "./commands/run.js";
import * as sweep from "./commands/sweep.js";
import * as train from "./commands/train.js";
import * as worker from "./commands/worker.js";
import { reportError } from "./reportError.js";

interface Command {
  summary: string;
  help: string;
  run(argv: string[]): number | Promise<number>;
}

const commands: Record<string, Command> = { activations, gradcheck, train, run: runCommand, replay, reproduce, compare, advise, report, sweep, worker };

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
    process.stdout.write(commands[topic]!.help + "\n");
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`gradscope: unknown command "${name}" (known: ${Object.keys(commands).join(", ")}; gradscope help for more)\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    return reportError(e, { command: name, debug });
  }
}
