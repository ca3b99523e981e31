#!/usr/bin/env node
// The `gradscope` executable. It only starts main(): npm installs a bin as a symlink
// (node_modules/.bin/gradscope → …/dist/bin.js), so an "am I the entry file" test inside main.ts,
// comparing import.meta.url with process.argv[1], fails there and the command printed nothing.
import { main } from "./main.js";
import { enableRelaxedSimd } from "./relaxedSimd.js";
import { onUncaughtError } from "./reportError.js";

enableRelaxedSimd(); // before any backend is created
const argv = process.argv.slice(2);
onUncaughtError(argv); // what escapes main (an error event on a stream, a callback's throw) is still one line
process.exitCode = await main(argv);
