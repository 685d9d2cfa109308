import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closedPort } from "./server";

/** A throwaway redis-server on 127.0.0.1. */
export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** Stops it by its PID and removes its directory. */
  stop(): void;
}

/** Extra `redis-server` settings, e.g. `{ "maxmemory-policy": "allkeys-lru" }`. */
export type RedisSettings = Readonly<Record<string, string>>;

/** The settings the money rule needs (docs/batch-and-queue.md, "Redis for real"); `save ''`: no disk snapshots in tests. */
const DURABLE: RedisSettings = { save: "", appendonly: "yes", appendfsync: "always", "maxmemory-policy": "noeviction" };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stopPid(pid: number): void {
  if (!alive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) spawnSync("sleep", ["0.02"]);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/** Starts `redis-server --daemonize yes` on a free loopback port; waits for its pidfile and PING. */
export async function startRedisServer(settings: RedisSettings = {}): Promise<RedisServer> {
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), "sora-redis-"));
  const pidfile = join(dir, "redis.pid");
  const all = { ...DURABLE, ...settings };
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir];
  args.push("--daemonize", "yes", "--pidfile", pidfile);
  for (const [name, value] of Object.entries(all)) args.push(`--${name}`, value);
  execFileSync("redis-server", args, { stdio: "ignore" });
  let pid = 0;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      pid = Number(readFileSync(pidfile, "utf8").trim());
      const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
      if (pid > 0 && ping.stdout.trim() === "PONG") break;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const stop = () => {
    stopPid(pid);
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies before afterAll still takes its server down.
  process.once("exit", stop);
  return { url: `redis://127.0.0.1:${port}`, port, pid, stop };
}

/**
 * Whether redis-server can run here. In CI (`CI` set) a missing server fails the suite (CI
 * installs it: .ci/run); elsewhere it prints why and the queue tests are skipped.
 */
export function redisServerAvailable(): boolean {
  if (spawnSync("redis-server", ["--version"]).status === 0) return true;
  if (process.env.CI) throw new Error("redis-server is missing; the queue tests must run in CI (.ci/run installs it)");
  process.stderr.write("queue tests skipped: redis-server is not installed (apt-get install -y redis-server)\n");
  return false;
}

/** `describe` when redis-server is available (see redisServerAvailable), else `describe.skip`. */
export function describeWithRedis(name: string, body: () => void): void {
  (redisServerAvailable() ? describe : describe.skip)(name, body);
}

/** Starts one server for the file (beforeAll) and stops it by PID in afterAll, even when a test failed. */
export function useRedisServer(settings?: RedisSettings): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer(settings);
  });
  afterAll(() => server?.stop());
  return () => {
    if (!server) throw new Error("the Redis server is not running (beforeAll failed?)");
    return server;
  };
}
