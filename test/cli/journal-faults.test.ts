import { promises as fsp } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileHandle } from "node:fs/promises";
import { foldJournal, JournalCorruptError } from "../../src/batch/journal-state";
import { Journal } from "../../src/cli/batch/journal";
import { JournalWriteError } from "../../src/cli/batch/journal-write-error";
import { useCliServers } from "./helpers/fake-gateway";
import { runCliHere } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

jest.setTimeout(30_000);

type Write = (data: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>;

/**
 * Makes every file handle opened from now on write through `write(real, data, offset, length)`
 * instead of its own write (the journal's file handle among them): for short and failing writes.
 */
function injectWrites(write: (real: Write, data: Buffer, offset: number, length: number) => Promise<number>): void {
  const realOpen = fsp.open.bind(fsp);
  jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const handle: FileHandle = await realOpen(...args);
    const own = handle.write.bind(handle);
    const injected = async (data: Buffer | string, offset?: number, length?: number) => {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      const start = typeof offset === "number" ? offset : 0;
      const size = typeof length === "number" ? length : bytes.length - start;
      const bytesWritten = await write((b, o, l) => own(b, o, l), bytes, start, size);
      return { bytesWritten, buffer: data };
    };
    handle.write = injected as unknown as FileHandle["write"];
    return handle;
  });
}

const line = (record: object) => `${JSON.stringify({ at: "t", ...record })}\n`;

describe("Journal: short writes, failed writes, torn tails", () => {
  const tempDir = useTempDir("sora-journal-faults-");
  const path = () => join(tempDir(), "sora-batch.journal.jsonl");
  afterEach(() => jest.restoreAllMocks());

  test("a write that takes fewer bytes than asked (a nearly full disk) is continued: every record lands whole", async () => {
    // At most 7 bytes per write, without an error, as write(2) may do.
    injectWrites((real, data, offset, length) => real(data, offset, Math.min(length, 7)).then((r) => r.bytesWritten));
    const { journal } = await Journal.open(path());
    const ids = Array.from({ length: 10 }, (_, index) => `job-${index}`);
    await Promise.all(ids.map((id) => journal.record(id, "pending", { fingerprint: `f-${id}` })));
    await Promise.all(ids.map((id) => journal.record(id, "submitted")));
    await journal.close();
    jest.restoreAllMocks();
    const { records, tornTail, statuses } = foldJournal(await readFile(path(), "utf8"));
    expect({ records, tornTail }).toEqual({ records: 20, tornTail: false });
    expect([...statuses.values()].map((status) => status.state)).toEqual(Array(10).fill("submitted"));
  });

  test("a write that fails halfway (ENOSPC) is cut back: the file holds whole records; this and every later record is refused", async () => {
    const { journal } = await Journal.open(path());
    await journal.record("a", "pending");
    let calls = 0;
    const realWrite = (journal as unknown as { handle: FileHandle }).handle.write.bind(
      (journal as unknown as { handle: FileHandle }).handle,
    );
    (journal as unknown as { handle: FileHandle }).handle.write = (async (
      data: Buffer,
      offset: number,
      length: number,
    ) => {
      calls += 1;
      await realWrite(data, offset, Math.floor(length / 2));
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    }) as unknown as FileHandle["write"];
    const failed = await journal.record("a", "submitted").catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(JournalWriteError);
    expect(failed).toMatchObject({ name: "JournalWriteError", code: "ENOSPC", path: path() });
    // Undone in memory too: the job is what the disk says.
    expect(journal.status("a")?.state).toBe("pending");
    await expect(journal.record("b", "pending")).rejects.toBe(failed);
    expect(calls).toBe(1);
    await journal.close();
    const left = (await readFile(path(), "utf8")).split("\n");
    expect(left).toHaveLength(2);
    expect(JSON.parse(left[0]!)).toMatchObject({ id: "a", state: "pending" });
    expect(left[1]).toBe("");
  });

  test("a torn last line is cut with its size reported; a whole record without its newline is kept (a paid video's URL)", async () => {
    const tail = '{"at":"t","id":"a","sta';
    await writeFile(path(), `${line({ id: "a", state: "pending" })}${tail}`);
    const torn = await Journal.open(path());
    expect({ tornTail: torn.tornTail, unterminated: torn.unterminated, records: torn.records }).toEqual({
      tornTail: tail.length,
      unterminated: false,
      records: 1,
    });
    await torn.journal.close();

    const generated = JSON.stringify({ at: "t", id: "a", state: "generated", url: "http://v/a.mp4" });
    await writeFile(path(), line({ id: "a", state: "pending" }) + line({ id: "a", state: "submitted" }) + generated);
    const kept = await Journal.open(path());
    expect({ tornTail: kept.tornTail, unterminated: kept.unterminated, records: kept.records }).toEqual({
      tornTail: 0,
      unterminated: true,
      records: 3,
    });
    expect(kept.journal.status("a")).toMatchObject({ state: "generated", url: "http://v/a.mp4" });
    await kept.journal.record("a", "done", { path: "a.mp4" });
    await kept.journal.close();
    expect(foldJournal(await readFile(path(), "utf8"))).toMatchObject({ records: 4, tornTail: false });
  });

  test("a whole last record that is an impossible change is refused (JournalCorruptError), not cut", () => {
    const text = line({ id: "a", state: "pending" }) + JSON.stringify({ at: "t", id: "a", state: "done" });
    expect(() => foldJournal(text)).toThrow(JournalCorruptError);
  });
});

describe("sora-video batch over a journal a crash left torn (in this process)", () => {
  const tempDir = useTempDir("sora-journal-torn-cli-");
  const servers = useCliServers();

  test("says it repaired the tail, sends nothing twice: the open job is uncertain, the rest run", async () => {
    const mock = await servers.mock();
    const jobs = join(tempDir(), "jobs.jsonl");
    const image = "https://img.example/a.png";
    await writeFile(
      jobs,
      ["j1", "j2"].map((id) => `${JSON.stringify({ id, prompt: id, image_url: image })}\n`).join(""),
    );
    const out = join(tempDir(), "out");
    // A first run, whose journal is then cut back to what a run that died writing j1's `generated` leaves.
    const first = await runCliHere(["batch", jobs, "--out", out], {
      env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url },
    });
    expect(first.code).toBe(0);
    const journalPath = join(out, "sora-batch.journal.jsonl");
    const records = (await readFile(journalPath, "utf8")).split("\n").filter(Boolean);
    // Keep j1 and j2 pending and j1 submitted; then a torn `generated` of j1.
    const kept = records.filter(
      (record) => /"state":"(pending|submitted)"/.test(record) && !/"id":"j2","state":"submitted"/.test(record),
    );
    await writeFile(journalPath, `${kept.join("\n")}\n{"at":"2026-01-01T00:00:00.000Z","id":"j1","state":"gener`);
    const accepted = mock.stats.accepted;
    const run = await runCliHere(["batch", jobs, "--out", out], {
      env: { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url },
    });
    expect(run.stderr).toContain("Journal: its last line (");
    expect(run.stderr).toContain("was cut by a crash mid-write and never acknowledged; removed");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}uncertain +1 /m);
    expect(run.stdout).toMatch(/^ {2}done +1/m);
    // j2 was sent again (its earlier render's record was dropped above), j1 never.
    expect(mock.stats.acceptedBodies.slice(accepted).map((body) => body.prompt)).toEqual(["j2"]);
  });
});
