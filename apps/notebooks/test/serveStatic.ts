// A tiny static file server for the built app, bound to loopback on a free port.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { isolationHeaders } from "../scripts/isolationHeaders.ts";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
};

export interface StaticServer {
  url: string;
  /**
   * Holds requests for `path` (e.g. "/digits.bin") until `release()`: a test sees the page before that file
   * has come, for as long as it needs (an event, not a race with the network). `requested` resolves when
   * the first such request arrives.
   */
  hold(path: string): { requested: Promise<void>; release(): void };
  close(): Promise<void>;
}

/** Serves `root` at http://127.0.0.1:<free port>, cross-origin isolated as Vite serves it; `/` serves index.html. */
export function serveStatic(root: string): Promise<StaticServer> {
  const held = new Map<string, { requested: () => void; released: Promise<void> }>();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const hold = held.get(path);
    if (hold) {
      hold.requested();
      await hold.released;
    }
    const file = join(root, normalize(path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
    } catch {
      return void res.writeHead(404).end("not found");
    }
    // no-store: every page load asks this server again, so a held file (see hold) is never served from a cache
    res.writeHead(200, { ...isolationHeaders, "cache-control": "no-store", "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        hold(path) {
          let requested!: () => void;
          let release!: () => void;
          const seen = new Promise<void>((done) => (requested = done));
          held.set(path, { requested, released: new Promise<void>((done) => (release = done)) });
          return { requested: seen, release: () => (held.delete(path), release()) };
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
