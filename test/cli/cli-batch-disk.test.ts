import fs, { promises as fsp } from "node:fs";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { MockServer } from "../../src/node/mock";
import { useCliServers } from "./helpers/fake-gateway";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

jest.setTimeout(30_000);

const IMAGE = "https://img.example/cat.png";
const diskError = (code: string) => Object.assign(new Error(`${code}: injected disk failure, write`), { code });

/** Every video file written from now on fails with `code` (a full disk under the downloads). */
function failVideoWrites(code: string): void {
  jest.spyOn(fs, "createWriteStream").mockImplementation(
    () =>
      new Writable({
        write: (_chunk, _encoding, callback) => callback(diskError(code)),
      }) as unknown as fs.WriteStream,
  );
}

/** The journal's writes fail with `code` from the first one whose text matches `from` on (a disk that fills up mid-batch). */
function failJournalWrites(code: string, from: RegExp): void {
  const realOpen = fsp.open.bind(fsp);
  let failing = false;
  jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const handle: FileHandle = await realOpen(...args);
    if (!String(args[0]).endsWith("sora-batch.journal.jsonl") || args[1] !== "a") return handle;
    const write = handle.write.bind(handle) as (...rest: unknown[]) => Promise<unknown>;
    handle.write = (async (...rest: unknown[]) => {
      failing ||= from.test(String(rest[0]));
      if (failing) throw diskError(code);
      return write(...rest);
    }) as unknown as FileHandle["write"];
    return handle;
  });
}

describe("sora-video batch on a full or failing disk (in this process, with injected fs errors)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-batch-disk-");
  let mock: MockServer;
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const batch = (...extra: string[]) => ["batch", jobsFile(), "--out", out(), ...extra];
  const env = () => ({ ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url });
  const writeJobs = (count: number) =>
    writeFile(
      jobsFile(),
      Array.from(
        { length: count },
        (_, i) => `${JSON.stringify({ id: `j${i + 1}`, prompt: `p${i + 1}`, image_url: IMAGE })}\n`,
      ).join(""),
    );
  /** How many times the mock accepted each prompt (the bill). */
  const bill = () => {
    const counts = new Map<string, number>();
    for (const body of mock.stats.acceptedBodies)
      counts.set(String(body.prompt), (counts.get(String(body.prompt)) ?? 0) + 1);
    return counts;
  };
  afterEach(() => jest.restoreAllMocks());

  test("ENOSPC while downloading stops new paid renders; the paid ones are 'paid for but not saved', never 'not billed'; the re-run saves them without paying again", async () => {
    mock = await servers.mock({ latencyMs: 100 });
    await writeJobs(8);
    failVideoWrites("ENOSPC");
    const run = await runCliHere(batch("--concurrency", "2"), { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Stopping: the disk of --out failed (");
    expect(run.stderr).toContain("ENOSPC");
    const paid = mock.stats.accepted;
    // Two lanes: at most the two renders open when the first download failed, and the one each lane had started beside it.
    expect(paid).toBeLessThanOrEqual(4);
    expect(run.stdout).not.toContain("not billed");
    expect(run.stdout).toMatch(
      new RegExp(
        `^ {2}failed +${paid} {3}paid for but not saved; running the command again downloads them for free$`,
        "m",
      ),
    );
    expect(run.stdout).toMatch(new RegExp(`^ {2}not run +${8 - paid} `, "m"));
    expect(run.stdout).toContain("Generated (and paid for) but not saved; save each for free with:");

    jest.restoreAllMocks(); // space freed
    const rerun = await runCliHere(batch("--concurrency", "2"), { env: env() });
    expect(rerun.code).toBe(0);
    expect([...bill().values()]).toEqual(Array(8).fill(1));
    expect((await readdir(out())).filter((name) => name.endsWith(".mp4"))).toHaveLength(8);
  });

  test("EIO on the journal mid-batch stops new paid renders; the summary says the journal is behind; the re-run never pays twice", async () => {
    mock = await servers.mock({ latencyMs: 100 });
    await writeJobs(8);
    // The first `generated` cannot be written: two renders are paid for, and their journal says only `submitted`.
    failJournalWrites("EIO", /"state":"generated"/);
    const run = await runCliHere(batch("--concurrency", "2"), { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Stopping: the disk of --out failed (Cannot write the journal");
    expect(mock.stats.accepted).toBe(2);
    // What this run did is reported as it happened (both videos saved), with the journal said to be behind.
    expect(run.stdout).toMatch(/^ {2}done +2$/m);
    expect(run.stdout).toMatch(/^ {2}not run +6 /m);
    expect(run.stdout).toContain("the journal is behind this summary; the next run sends none of these jobs twice.");
    jest.restoreAllMocks(); // the disk works again
    const json = await runCliHere(batch("--json"), { env: env() }).then((second) => JSON.parse(second.stdout));
    expect(json.counts).toMatchObject({ uncertain: 2, done: 6 });
    // Whatever the journal missed is uncertain, never sent again without --retry-uncertain.
    expect([...bill().values()].every((count) => count === 1)).toBe(true);
    expect(existsSync(join(out(), "sora-batch.lock"))).toBe(false);
  });

  test.each([
    ["EROFS", "mkdir"],
    ["EACCES", "mkdir"],
    ["ENOENT", "mkdir"],
    ["ENOSPC", "lock"],
  ] as const)(
    "an unusable --out (%s at %s): exit 2, a message naming it, nothing sent, no lock left",
    async (code, where) => {
      mock = await servers.mock();
      await writeJobs(2);
      if (where === "mkdir") jest.spyOn(fsp, "mkdir").mockRejectedValue(diskError(code));
      else {
        const realOpen = fsp.open.bind(fsp);
        jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
          if (args[1] === "wx") throw diskError(code);
          return realOpen(...args);
        });
      }
      const run = await runCliHere(batch(), { env: env() });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`sora-video: Cannot use --out ${out()}: it `);
      expect(run.stderr).toContain(`(${code})`);
      expect(run.stderr).toContain("hint: nothing was sent");
      expect(mock.stats.requests).toBe(0);
      expect(existsSync(join(out(), "sora-batch.lock"))).toBe(false);
    },
  );

  test("a journal that cannot take its first records (ENOSPC before anything is sent): exit 2, nothing sent", async () => {
    mock = await servers.mock();
    await writeJobs(2);
    failJournalWrites("ENOSPC", /"state":"pending"/);
    const run = await runCliHere(batch(), { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot use --out ${out()}: it is on a full disk (ENOSPC).`);
    expect(mock.stats.requests).toBe(0);
    expect(await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8")).toBe("");
  });
});
