#!/usr/bin/env node
import { UsageError } from "./args.js";
import * as activations from "./commands/activations.js";
import * as compare from "./commands/compare.js";
import * as gradcheck from "./commands/gradcheck.js";
import * as replay from "./commands/replay.js";
import * as report from "./commands/report.js";
import * as reproduce from "./commands/reproduce.js";
import * as runCommand from "./commands/run.js";
import * as train from "./commands/train.js";
import { enableRelaxedSimd } from "./relaxedSimd.js";

interface Command {
  summary: string;
  help: string;
  run(argv: string[]): number | Promise<number>;
}

const commands: Record<string, Command> = { activations, gradcheck, train, run: runCommand, replay, reproduce, compare, report };

const usage = () => `usage: gradscope <command> [flags]   (gradscope help <command> for its flags)

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`).join("\n")}
`;

/** Runs the CLI; returns the exit status. Errors in user input print one line, not a stack. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0] && commands[rest[0]];
    process.stdout.write(topic ? topic.help + "\n" : usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`gradscope: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help + "\n");
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError || e instanceof TypeError || (e as Error).name === "NdjsonError" || (e as NodeJS.ErrnoException).code === "ENOENT") {
      process.stderr.write(`gradscope ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isMain) {
  enableRelaxedSimd();
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
