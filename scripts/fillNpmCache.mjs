// Fills a private npm cache with everything the packaging test (test/packaging.test.ts) installs, so that the test
// itself runs `npm install --offline` and never reaches the network. Run by the root `postinstall` (so
// `pnpm install` does it, as it fetches everything else); a second run finds the cache filled and does nothing.
//
// It installs, into a throw-away npm project and with `--cache` pointing at the private cache, the consumer's own
// packages (rxjs 7.8.1, the TypeScript it type-checks with) and the third-party dependencies of the packages in
// packages/* at the ranges their package.json files give: npm then keeps their metadata and tarballs, which is all an
// offline install of the packed tarballs needs. Without the registry it warns and exits 0 (the install goes on);
// the packaging test then fails naming this script.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cacheDir = join(root, "node_modules", ".gradscope-npm-cache");
const marker = join(cacheDir, "filled.json");

/** What the packaging test installs besides the tarballs: the consumer project's own dependencies. */
const consumerDependencies = {
  rxjs: "7.8.1",
  typescript: JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies.typescript,
};

/** Third-party dependencies (and required peers) of the publishable packages, at their declared ranges. */
function packageDependencies() {
  const deps = {};
  for (const dir of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    const optional = pkg.peerDependenciesMeta ?? {};
    const peers = Object.entries(pkg.peerDependencies ?? {}).filter(([name]) => !optional[name]?.optional);
    for (const [name, range] of [...Object.entries(pkg.dependencies ?? {}), ...peers]) {
      if (name.startsWith("@gradscope/") || name in consumerDependencies) continue;
      deps[name] = range;
    }
  }
  return deps;
}

const wanted = { ...packageDependencies(), ...consumerDependencies };
const key = JSON.stringify(wanted);
if (existsSync(marker) && readFileSync(marker, "utf8") === key) process.exit(0);

const project = mkdtempSync(join(tmpdir(), "gradscope-npm-cache-"));
try {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fill", private: true, dependencies: wanted }));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_config_")));
  execFileSync("npm", ["install", "--cache", cacheDir, "--prefer-online", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
    cwd: project, env, stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(marker, key);
  console.log(`npm cache for the packaging test: ${Object.keys(wanted).length} packages and their dependencies in ${cacheDir}`);
} catch (e) {
  console.warn(`warning: could not fill the packaging test's npm cache (${e.message.split("\n")[0]}); test/packaging.test.ts will fail until \`node scripts/fillNpmCache.mjs\` runs with the npm registry reachable`);
} finally {
  rmSync(project, { recursive: true, force: true });
}
