/**
 * Node `worker_threads` entry of `trainInWorker`, started by `nodeTrainWorker` (`@gradscope/stream/node`).
 * Messages arrive on `parentPort`; Node runs can also use the "digits" data set (read from files).
 */
import { parentPort } from "node:worker_threads";
import { loadDigits } from "@gradscope/core/node";
import { serveTraining } from "./serveTraining.js";
import type { ToWorker } from "./protocol.js";

const port = parentPort;
if (!port) throw new Error("trainWorker.node runs in a worker thread (see nodeTrainWorker)");

serveTraining(
  {
    post: (message) => port.postMessage(message),
    listen: (onMessage) => port.on("message", (message: ToWorker) => onMessage(message)),
  },
  { loadDigits },
);
