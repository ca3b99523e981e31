import { describe, expect, it } from "vitest";
import { parseRedisUrl, scrub } from "./redisUrl.js";

describe("parseRedisUrl", () => {
  it("reads host, port, user, password and database; TLS for rediss://", () => {
    const plain = parseRedisUrl("redis://127.0.0.1:6390");
    expect(plain.options).toMatchObject({ host: "127.0.0.1", port: 6390, maxRetriesPerRequest: null });
    expect(plain.options.tls).toBeUndefined();
    expect(plain.secrets).toEqual([]);
    const tls = parseRedisUrl("rediss://worker:s3cr%40t@cache.example:6380/2");
    expect(tls.options).toMatchObject({ host: "cache.example", port: 6380, username: "worker", password: "s3cr@t", db: 2, tls: { servername: "cache.example" } });
    expect(tls.display).toBe("rediss://worker:***@cache.example:6380/2");
    expect(tls.secrets).toEqual(["s3cr%40t", "s3cr@t"]);
    expect(parseRedisUrl("rediss://127.0.0.1:6380").options.tls).toEqual({}); // no SNI for an IP
    expect(parseRedisUrl("redis://h").options.port).toBe(6379);
  });
  it("names a bad URL without its password", () => {
    expect(() => parseRedisUrl("http://:pw1234@h:1")).toThrow('--queue must be a redis:// or rediss:// URL, got "http://:***@h:1"');
    expect(() => parseRedisUrl("redis//:pw1234@h")).toThrow("--queue must be a redis://HOST:PORT");
    expect(() => parseRedisUrl("not a url :pw1234@")).not.toThrow(/pw1234/);
    expect(() => parseRedisUrl("redis://:pw1234@h:1/x")).toThrow('the path must be a database number, got "redis://:***@h:1/x"');
    try {
      parseRedisUrl("ftp://u:pw1234@h");
    } catch (e) {
      expect((e as Error).message).not.toContain("pw1234");
    }
  });
  it("scrub replaces every occurrence of every secret", () => {
    expect(scrub("a pw1 b pw1 c", ["pw1"])).toBe("a *** b *** c");
  });
});
