import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server a test started on a free loopback port. */
export interface TestRedis {
  port: number;
  /** redis://[:password@]127.0.0.1:PORT, rediss://… with `tls` */
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

/** PEM files of a TLS server: its certificate and key, and the CA that signed it. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/**
 * Starts Debian's `redis-server` on a free loopback port, no persistence, `noeviction` (BullMQ needs its
 * keys kept), optionally with a password, and with `tls` on TLS only (the plain port off; clients need
 * no certificate of their own); resolves once the server says it accepts connections.
 * @example const redis = await startRedis({ password: "pw" }); …; await redis.stop();
 */
export async function startRedis({ password, tls }: { password?: string; tls?: TlsFiles } = {}): Promise<TestRedis> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const ports = tls
      ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.cert, "--tls-key-file", tls.key, "--tls-ca-cert-file", tls.ca, "--tls-auth-clients", "no"]
      : ["--port", String(port)];
    const args = [...ports, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", ...(password ? ["--requirepass", password] : [])];
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
    if (up) return { port, url: `${tls ? "rediss" : "redis"}://${password ? `:${password}@` : ""}127.0.0.1:${port}`, stop: () => stop(child) };
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
