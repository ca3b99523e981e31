// `pnpm start`: build the notebooks, then serve the built app on loopback at $PORT (default 3000).
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number (1–65535), got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

// Phase 1: build, exactly as `pnpm build` does.
await build({ configFile });

// Phase 2: serve dist/ with Vite's static preview server, on loopback only.
const server = await preview({ configFile, preview: { port, strictPort: true, host: "127.0.0.1" } });
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`\ngradscope notebooks: ${url}\n(Ctrl-C to stop)`);
