import { spawn } from "node:child_process";
import { existsSync, promises as fsp } from "node:fs";
import { readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { takeLock } from "../../src/cli/batch/lock";
import { UsageError } from "../../src/cli/exit";
import { useCliServers } from "./helpers/fake-gateway";
import { requireBuiltCli, startCli } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

jest.setTimeout(60_000);

/** The pid of a process that has ended (so a lock holding it is stale). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

describe("takeLock: atomic, also when taking over a stale lock", () => {
  const tempDir = useTempDir("sora-lock-atomic-");
  const lock = () => join(tempDir(), "sora-batch.lock");
  afterEach(() => jest.restoreAllMocks());

  test("an empty lock (a run that has not written its pid yet) is not taken as stale: a usage error, the file stays", async () => {
    await writeFile(lock(), "");
    await expect(takeLock(lock())).rejects.toThrow(
      new UsageError("Another sora-video batch is starting in this out dir (its lock is not written yet)."),
    );
    expect(await readFile(lock(), "utf8")).toBe("");
    expect(await readdir(tempDir())).toEqual(["sora-batch.lock"]);
  });

  test("an empty lock older than the grace period (an old version's crash) is taken over", async () => {
    await writeFile(lock(), "");
    const old = new Date(Date.now() - 60_000);
    await utimes(lock(), old, old);
    const release = await takeLock(lock());
    expect(await readFile(lock(), "utf8")).toBe(`${process.pid}\n`);
    await release();
    expect(await readdir(tempDir())).toEqual([]);
  });

  test("the lock is never visible without its pid: whoever finds it reads the whole content", async () => {
    // Slow writes, as on a busy or network disk: a file is created, then its content comes 50 ms later.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
    const realOpen = fsp.open.bind(fsp);
    const realWriteFile = fsp.writeFile.bind(fsp);
    jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      const write = handle.writeFile.bind(handle);
      handle.writeFile = async (...data: Parameters<typeof handle.writeFile>) => (await pause(), write(...data));
      return handle;
    });
    jest.spyOn(fsp, "writeFile").mockImplementation(async (file, data, options) => {
      const flag = typeof options === "object" && options?.flag !== undefined ? String(options.flag) : "w";
      await (await realOpen(file as string, flag)).close();
      await pause();
      return realWriteFile(file, data);
    });
    const seen: string[] = [];
    let taking = true;
    const watch = (async () => {
      while (taking) {
        const text = await readFile(lock(), "utf8").catch(() => undefined);
        if (text !== undefined) seen.push(text);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const release = await takeLock(lock());
    taking = false;
    await watch;
    await release();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`${process.pid}\n`]));
  });

  test("two runs that find one stale lock at once: exactly one takes it, the other is told who holds it", async () => {
    for (let round = 0; round < 20; round += 1) {
      await writeFile(lock(), `${await deadPid()}\n`);
      // Two live processes: this one and its parent (the jest runner), as two runs would be.
      const outcomes = await Promise.allSettled([
        takeLock(lock(), { pid: process.pid }),
        takeLock(lock(), { pid: process.ppid }),
      ]);
      const taken = outcomes.filter((outcome) => outcome.status === "fulfilled");
      expect(taken).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === "rejected")!;
      expect(refused.reason).toBeInstanceOf(UsageError);
      expect(String(refused.reason)).toMatch(/Another sora-video batch \(pid \d+\) is using this out dir/);
      await (taken[0] as PromiseFulfilledResult<() => Promise<void>>).value();
      expect(await readdir(tempDir())).toEqual([]);
    }
  });

  test.each(["EROFS", "EACCES", "ENOSPC"])(
    "an --out that cannot take the lock (%s): a usage error naming the directory, nothing left behind",
    async (code) => {
      const realOpen = fsp.open.bind(fsp);
      jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
        if (args[1] !== "wx") return realOpen(...args);
        throw Object.assign(new Error(`${code}: injected, open '${String(args[0])}'`), { code });
      });
      const error = (await takeLock(lock()).catch((caught: unknown) => caught)) as UsageError;
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toContain(`Cannot use --out ${tempDir()}: it `);
      expect(error.message).toContain(`(${code})`);
      expect(error.hint).toMatch(/^nothing was sent/);
      expect(await readdir(tempDir())).toEqual([]);
    },
  );
});

describe("two batches started together on one --out (the built bin, twice)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-lock-race-");
  beforeAll(() => requireBuiltCli());

  test("never both send the same job: one runs them all once, the other exits 2 and sends nothing", async () => {
    const mock = await servers.mock({ latencyMs: 500 });
    const jobs = join(tempDir(), "jobs.jsonl");
    const lines = [1, 2, 3].map((n) =>
      JSON.stringify({ id: `j${n}`, prompt: `p${n}`, image_url: "https://img.example/a.png" }),
    );
    await writeFile(jobs, `${lines.join("\n")}\n`);
    const out = join(tempDir(), "out");
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const runs = [startCli(["batch", jobs, "--out", out], { env }), startCli(["batch", jobs, "--out", out], { env })];
    const timer = setTimeout(() => runs.forEach((run) => run.child.kill("SIGKILL")), 45_000);
    try {
      const results = await Promise.all(runs.map((run) => run.done));
      const codes = results.map((result) => result.code);
      const prompts = mock.stats.acceptedBodies.map((body) => body.prompt);
      expect(prompts.sort()).toEqual(["p1", "p2", "p3"]);
      // Either the second was refused while the first ran, or (started late) it found every job done.
      if (codes.includes(2)) {
        expect([...codes].sort()).toEqual([0, 2]);
        expect(results.find((result) => result.code === 2)!.stderr).toMatch(/Another sora-video batch/);
      } else expect(codes).toEqual([0, 0]);
      expect(existsSync(join(out, "sora-batch.lock"))).toBe(false);
    } finally {
      clearTimeout(timer);
    }
  });
});
