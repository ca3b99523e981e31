import { isIP } from "node:net";
import type { RedisOptions } from "ioredis";

/** A queue URL, read: what to connect with, how to print it, and what to scrub from any output. */
export interface RedisTarget {
  /** ioredis options (TLS for `rediss://`; `maxRetriesPerRequest: null` as BullMQ's workers need). */
  options: RedisOptions;
  /** The URL with its password replaced by `***`: the only form ever printed. */
  display: string;
  /** Strings that must never be printed (the password, raw and URL-encoded). */
  secrets: string[];
}

/**
 * Reads `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS: the server's certificate is
 * checked against Node's CAs, plus those in the file `NODE_EXTRA_CA_CERTS` names, e.g. a private CA).
 * The error for a bad URL shows the URL with its password replaced, never the password.
 * @example
 * parseRedisUrl("rediss://:s3cret@cache.example:6380/2").display // "rediss://:***@cache.example:6380/2"
 */
export function parseRedisUrl(raw: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // not echoed: where a password would sit in a string that is not a URL cannot be told
    throw new RangeError("--queue must be a redis://HOST:PORT or rediss://HOST:PORT URL (the value given is not a URL)");
  }
  const secrets = url.password ? [...new Set([url.password, decodeURIComponent(url.password)])] : [];
  const display = redactUrl(url);
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new RangeError(`--queue must be a redis:// or rediss:// URL, got ${JSON.stringify(display)}`);
  }
  if (!url.hostname) throw new RangeError(`--queue has no host: ${JSON.stringify(display)}`);
  const port = url.port ? Number(url.port) : 6379;
  const path = url.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d+$/.test(path)) throw new RangeError(`--queue: the path must be a database number, got ${JSON.stringify(display)}`);
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    maxRetriesPerRequest: null,
    // give up after a few tries: a wrong host is an error, not a hang
    retryStrategy: (times) => (times > 5 ? null : Math.min(times * 200, 1000)),
  };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  if (path !== "") options.db = Number(path);
  // SNI names a host; for an IP address Node checks the certificate's IP subjectAltName instead (and
  // warns, on stderr, when given an IP as servername)
  if (url.protocol === "rediss:") options.tls = isIP(options.host!) ? {} : { servername: options.host! };
  return { options, display, secrets };
}

function redactUrl(url: URL): string {
  if (!url.password) return url.href.replace(/\/$/, "");
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href.replace(/\/$/, "").replace("%2A%2A%2A", "***");
}

/**
 * Replaces every secret in `text` by `***`. Used on every line the queue commands print and on every
 * error they report.
 */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}

/**
 * Runs `fn` with process.stdout and process.stderr scrubbed of `secrets` (whatever a library prints
 * there too), restoring them after.
 */
export async function withScrubbedOutput<T>(secrets: string[], fn: () => Promise<T>): Promise<T> {
  if (secrets.length === 0) return fn();
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  streams.forEach((s, i) => {
    const original = originals[i]!;
    s.write = ((chunk: unknown, ...rest: unknown[]) =>
      (original as (...a: unknown[]) => boolean).call(s, typeof chunk === "string" ? scrub(chunk, secrets) : Buffer.isBuffer(chunk) ? scrub(chunk.toString("utf8"), secrets) : chunk, ...rest)) as typeof s.write;
  });
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error) {
      e.message = scrub(e.message, secrets);
      if (e.stack) e.stack = scrub(e.stack, secrets);
    }
    throw e;
  } finally {
    streams.forEach((s, i) => { s.write = originals[i]!; });
  }
}
