import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { lastValueFrom, toArray, type Observable } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeDigits, encodeDigits } from "@gradscope/core";
import { loadDigits } from "@gradscope/core/node";
import { resolveRunConfig, train, type Row, type RunConfig } from "@gradscope/stream";
import { trainInWorker } from "@gradscope/stream/node";
import { digitsLoader } from "./fetchDigits.js";

const rowsOf = (rows$: Observable<Row>) => lastValueFrom(rows$.pipe(toArray()));
/** Rows without their timings, which differ from run to run. */
const untimed = (rows: Row[]) => rows.map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r));

// A small encodeDigits binary (40 real digits per class) on a loopback http server, as the notebooks serve it.
const bytes = encodeDigits(loadDigits({ perClass: 40, seed: 5 }));
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/digits.bin") res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    else if (req.url === "/garbage.bin") res.writeHead(200).end("not digits");
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = (digitsUrl: string): RunConfig => ({
  dataset: "digits", digitsUrl, n: 200, depth: 3, width: 16, optimizer: "sgd", lr: 0.05, batchSize: 16,
  steps: 60, seed: 3, evalEvery: 20, backend: "js",
});

describe("RunConfig.digitsUrl: a worker run fetches its digits", () => {
  it("trains on the fetched digits: the same rows as a run given the same data directly", async () => {
    const cfg = config(`${base}/digits.bin`);
    const inWorker = await rowsOf(trainInWorker(cfg));
    const direct = await rowsOf(train(cfg, { loadDigits: digitsLoader(decodeDigits(bytes)) }));
    expect(inWorker.at(-1)).toMatchObject({ type: "status" });
    expect(inWorker.filter((r) => r.type === "step")).toHaveLength(60);
    expect(untimed(inWorker)).toEqual(untimed(direct));
    // the URL's data, not the Node worker's own loader (a different sample of the digits)
    const ownLoader = await rowsOf(trainInWorker({ ...cfg, digitsUrl: undefined }));
    expect(untimed(ownLoader)).not.toEqual(untimed(inWorker));
  });

  it("a download that fails is the run's error, naming the URL", async () => {
    await expect(rowsOf(trainInWorker(config(`${base}/missing.bin`)))).rejects.toThrow(
      `could not load the digits from ${base}/missing.bin: HTTP 404`,
    );
    await expect(rowsOf(trainInWorker(config(`${base}/garbage.bin`)))).rejects.toThrow(
      /could not load the digits from http:.*garbage\.bin: decodeDigits: not an encodeDigits binary/,
    );
    await expect(rowsOf(trainInWorker(config("http://127.0.0.1:1/digits.bin")))).rejects.toThrow(
      "could not load the digits from http://127.0.0.1:1/digits.bin",
    );
  });

  it("asking for more digits per class than the file holds fails clearly", async () => {
    await expect(rowsOf(trainInWorker({ ...config(`${base}/digits.bin`), n: 1000 }))).rejects.toThrow(
      /holds 40 examples of its smallest class, fewer than the 100 per class asked for \(set n to at most 400\)/,
    );
  });

  it("resolveRunConfig checks the field", () => {
    expect(resolveRunConfig({ dataset: "digits", digitsUrl: "http://127.0.0.1/d.bin" }).digitsUrl).toBe("http://127.0.0.1/d.bin");
    expect(resolveRunConfig({ dataset: "digits" }).digitsUrl).toBeUndefined();
    expect(() => resolveRunConfig({ digitsUrl: "http://127.0.0.1/d.bin" })).toThrow('digitsUrl is only used with dataset "digits", got dataset "spiral"');
    expect(() => resolveRunConfig({ dataset: "digits", digitsUrl: "" })).toThrow("digitsUrl must be a non-empty string");
    expect(() => resolveRunConfig({ dataset: "digits", digitsUrl: 3 as unknown as string })).toThrow('run-config key "digitsUrl" must be a string, got number 3');
  });
});

describe("digitsLoader", () => {
  const all = decodeDigits(bytes);
  it("draws a balanced, seeded sample: same options, same rows; another seed, another sample", () => {
    const load = digitsLoader(all);
    const a = load({ perClass: 10, seed: 1 });
    expect(a.n).toBe(100);
    expect(a.features).toBe(784);
    expect(Array.from({ length: 10 }, (_, d) => a.y.filter((y) => y === d).length)).toEqual(Array(10).fill(10));
    expect(load({ perClass: 10, seed: 1 })).toEqual(a);
    expect(load({ perClass: 10, seed: 2 }).x).not.toEqual(a.x);
  });
});
