import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server a test started on a free loopback port. */
export interface TestRedis {
  port: number;
  /** redis://[:password@]127.0.0.1:PORT */
  url: string;
  /** Stops the server and waits until it has exited. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Debian's `redis-server` on a free loopback port, no persistence, `noeviction` (BullMQ needs its
 * keys kept), optionally with a password; resolves once the server says it accepts connections.
 * @example const redis = await startRedis({ password: "pw" }); …; await redis.stop();
 */
export async function startRedis({ password }: { password?: string } = {}): Promise<TestRedis> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", ...(password ? ["--requirepass", password] : [])];
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    const up = await new Promise<boolean>((resolve, reject) => {
      let out = "";
      child.once("error", (e) => reject(new Error(`could not start redis-server (apt-get install redis-server): ${e.message}`)));
      child.once("exit", () => resolve(false)); // e.g. the port was taken meanwhile
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) resolve(true);
      });
    });
    if (up) return { port, url: `redis://${password ? `:${password}@` : ""}127.0.0.1:${port}`, stop: () => stop(child) };
    if (attempt >= 3) throw new Error("redis-server did not start on a free port");
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
