import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { outageGate } from "../../src/queue/outage-gate";
import { requireBuiltCli, runCli, startCli, waitFor } from "../cli/helpers/run-cli";
import { useTempDir } from "../cli/helpers/temp-dir";
import { closedPort } from "../helpers/server";
import { describeWithRedis, startRedisServer } from "../helpers/redis-server";

const refused = (port = 6379) =>
  Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: "ECONNREFUSED" });

describe("outageGate: one report per outage", () => {
  test("the first unreachable error goes through, its repeats do not until the connection is ready again; others always", () => {
    let ready: () => void = () => undefined;
    const gate = outageGate({ on: (_event, listener) => (ready = listener) });
    const seen: string[] = [];
    const sink = (error: Error) => seen.push(error.message);
    for (let i = 0; i < 40; i += 1) gate(refused(), sink);
    gate(new Error("could not renew lock"), sink);
    gate(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), sink);
    ready();
    gate(refused(7000), sink);
    expect(seen).toEqual([
      "connect ECONNREFUSED 127.0.0.1:6379",
      "could not renew lock",
      "connect ECONNREFUSED 127.0.0.1:7000",
    ]);
  });
});

describe("an unreachable Redis: one clear line, no raw dumps, no --out made (the built bin, a closed loopback port)", () => {
  const tempDir = useTempDir("sora-queue-unreachable-");
  beforeAll(() => requireBuiltCli());

  test("queue status, worker and batch --queue each say it once and exit 2", async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const jobs = join(tempDir(), "jobs.jsonl");
    await writeFile(jobs, `${JSON.stringify({ id: "j1", prompt: "A cat" })}\n`);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: "http://127.0.0.1:9" };
    const commands: Array<[string, string[], string | undefined]> = [
      ["queue status", ["queue", "status", "--queue", url], undefined],
      ["worker", ["worker", "--queue", url, "--out", join(tempDir(), "worker-out")], join(tempDir(), "worker-out")],
      [
        "batch --queue",
        ["batch", jobs, "--queue", url, "--out", join(tempDir(), "batch-out")],
        join(tempDir(), "batch-out"),
      ],
    ];
    const runs = await Promise.all(commands.map(([, args]) => runCli(args, { env, timeoutMs: 40_000 })));
    runs.forEach((run, index) => {
      const [name, , out] = commands[index]!;
      expect({ name, code: run.code }).toEqual({ name, code: 2 });
      const lines = run.stderr.trim().split("\n");
      expect(lines).toEqual([
        expect.stringMatching(
          /^sora-video: Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ within 10 s \(ECONNREFUSED 127\.0\.0\.1:\d+\)\.$/,
        ),
        "hint: check --queue and that the server runs.",
      ]);
      if (out !== undefined) expect(existsSync(out)).toBe(false);
    });
  }, 60_000);
});

describeWithRedis(
  "a Redis that goes away under a worker: one line, then quiet retries (a real redis-server, killed by PID)",
  () => {
    const tempDir = useTempDir("sora-queue-outage-");
    beforeAll(() => requireBuiltCli());

    test("worker: one warning for the outage, no raw dumps while it retries", async () => {
      const redis = await startRedisServer();
      const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: "http://127.0.0.1:9" };
      const worker = startCli(["worker", "--queue", redis.url, "--out", join(tempDir(), "out")], { env });
      try {
        await waitFor(() => worker.output().stderr.includes("Working;"), 20_000, "the worker to start");
        redis.stop();
        await waitFor(() => worker.output().stderr.includes("lost Redis"), 20_000, "the outage's warning");
        // Several seconds of retries (ioredis tries again every few hundred ms on each connection).
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const { stderr } = worker.output();
        expect(stderr.match(/lost Redis/g)).toHaveLength(1);
        expect(stderr).not.toMatch(/TCPConnectWrap|errno:|^Error: /m);
      } finally {
        worker.child.kill("SIGKILL");
        await worker.done;
        redis.stop();
      }
    }, 60_000);
  },
);
