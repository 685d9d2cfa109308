import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Journal } from "../../src/cli/batch/journal";
import { removeStaleParts } from "../../src/cli/batch/stale-parts";
import { takeLock } from "../../src/cli/batch/lock";
import { UsageError } from "../../src/cli/exit";
import { useTempDir } from "./helpers/temp-dir";
import {
  applyRecord,
  foldJournal,
  JournalCorruptError,
  JournalTransitionError,
  type JobState,
  type JobStatus,
} from "../../src/batch/journal-state";

const STATES: JobState[] = ["pending", "submitted", "refused", "generated", "done", "failed", "uncertain"];

/** Written out by hand (not read from TRANSITIONS), so a change to the table has to change this too. */
const ALLOWED: ReadonlyArray<[JobState | "new", JobState]> = [
  ["new", "pending"],
  ["pending", "submitted"],
  ["submitted", "generated"],
  ["submitted", "failed"],
  ["submitted", "uncertain"],
  ["submitted", "refused"],
  ["refused", "submitted"],
  ["refused", "failed"],
  ["refused", "uncertain"],
  ["generated", "done"],
  ["generated", "failed"],
  ["failed", "submitted"],
  ["failed", "done"],
  ["failed", "failed"],
  ["uncertain", "submitted"],
];

function status(state: JobState, extra: Partial<JobStatus> = {}): JobStatus {
  return { state, fingerprint: "f", url: undefined, submissions: 1, path: undefined, error: undefined, ...extra };
}

describe("every state transition", () => {
  const cases = (["new", ...STATES] as const).flatMap((from) =>
    STATES.map((to) => [from, to, ALLOWED.some(([a, b]) => a === from && b === to)] as const),
  );
  test.each(cases)("%s → %s allowed: %s", (from, to, allowed) => {
    const apply = () => applyRecord(from === "new" ? undefined : status(from), { at: "t", id: "j", state: to });
    if (allowed) expect(apply().state).toBe(to);
    else expect(apply).toThrow(JournalTransitionError);
  });

  test("submitted counts the submissions and forgets an old URL; generated records the URL", () => {
    const submitted = applyRecord(status("failed", { url: undefined, submissions: 1 }), {
      at: "t",
      id: "j",
      state: "submitted",
    });
    expect(submitted).toMatchObject({ state: "submitted", submissions: 2, url: undefined });
    expect(applyRecord(submitted, { at: "t", id: "j", state: "generated", url: "http://v/1.mp4" })).toMatchObject({
      state: "generated",
      url: "http://v/1.mp4",
    });
  });

  test("refused keeps why; submitted records when it was sent; receipts accumulate across records and re-sends", () => {
    const receipt = { requestId: "req_1", sentAt: "t1", answeredAt: "t2", status: 502, error: "InternalServerError" };
    const sent = applyRecord(status("pending"), { at: "t0", id: "j", state: "submitted" });
    expect(sent.submittedAt).toBe("t0");
    const refused = applyRecord(sent, {
      at: "t1",
      id: "j",
      state: "refused",
      error: { name: "RateLimitError", message: "429" },
    });
    expect(refused).toMatchObject({ state: "refused", error: { name: "RateLimitError" } });
    const uncertain = applyRecord(applyRecord(refused, { at: "t1", id: "j", state: "submitted" }), {
      at: "t2",
      id: "j",
      state: "uncertain",
      receipt,
    });
    expect(uncertain.receipts).toEqual([receipt]);
    const again = applyRecord(applyRecord(uncertain, { at: "t3", id: "j", state: "submitted" }), {
      at: "t4",
      id: "j",
      state: "generated",
      url: "u",
      receipt: { ...receipt, status: 200, error: undefined },
    });
    expect(again.receipts).toHaveLength(2);
    expect(applyRecord(again, { at: "t5", id: "j", state: "done", path: "p" }).receipts).toHaveLength(2);
    expect(uncertain.receipts).toHaveLength(1);
  });

  test("a failed download keeps the URL (downloaded again next run); a failed submission has none", () => {
    expect(
      applyRecord(status("generated", { url: "u" }), {
        at: "t",
        id: "j",
        state: "failed",
        url: "u",
        error: { name: "DownloadError", message: "404" },
      }),
    ).toMatchObject({ url: "u", error: { name: "DownloadError" } });
    expect(
      applyRecord(status("submitted"), {
        at: "t",
        id: "j",
        state: "failed",
        error: { name: "BadRequestError", message: "no" },
      }).url,
    ).toBeUndefined();
  });
});

describe("foldJournal", () => {
  const line = (record: object) => `${JSON.stringify({ at: "t", ...record })}\n`;

  test("folds records per job, and ignores a torn last line (never acknowledged)", () => {
    const text =
      line({ id: "a", state: "pending", fingerprint: "fa" }) +
      line({ id: "b", state: "pending" }) +
      line({ id: "a", state: "submitted" }) +
      '{"at":"t","id":"b","sta';
    const { statuses, records, tornTail } = foldJournal(text);
    expect(records).toBe(3);
    expect(tornTail).toBe(true);
    expect(statuses.get("a")).toMatchObject({ state: "submitted", fingerprint: "fa", submissions: 1 });
    expect(statuses.get("b")?.state).toBe("pending");
  });

  test.each([
    ["a garbled middle line", `not json\n${line({ id: "a", state: "pending" })}`],
    ["a record without a state", line({ id: "a" })],
    ["an impossible change", line({ id: "a", state: "pending" }) + line({ id: "a", state: "done" })],
  ])("throws JournalCorruptError on %s, since skipping a record could pay twice", (_name, text) => {
    expect(() => foldJournal(text)).toThrow(JournalCorruptError);
  });
});

describe("Journal on disk", () => {
  const tempDir = useTempDir("sora-journal-");

  test("each record is on disk when record() resolves, and a reopened journal has the same statuses", async () => {
    const path = join(tempDir(), "j.jsonl");
    const { journal } = await Journal.open(path, { now: () => new Date(0) });
    await journal.record("a", "pending", { line: 1, fingerprint: "fa" });
    await journal.record("a", "submitted");
    expect(
      (await readFile(path, "utf8"))
        .trim()
        .split("\n")
        .map((text) => JSON.parse(text)),
    ).toEqual([
      { at: "1970-01-01T00:00:00.000Z", id: "a", state: "pending", line: 1, fingerprint: "fa" },
      { at: "1970-01-01T00:00:00.000Z", id: "a", state: "submitted" },
    ]);
    await journal.record("a", "generated", { url: "http://v/a.mp4" });
    await journal.close();
    const reopened = await Journal.open(path);
    expect(reopened.records).toBe(3);
    expect(reopened.journal.status("a")).toMatchObject({ state: "generated", url: "http://v/a.mp4", submissions: 1 });
    await reopened.journal.close();
  });

  test("the key is taken out of every record written (a request id that echoes it), and kept in memory", async () => {
    const path = join(tempDir(), "j.jsonl");
    const secret = "sk-journal-canary-0123456789";
    const { journal } = await Journal.open(path, { secret });
    await journal.record("a", "pending", { line: 1, fingerprint: "fa" });
    await journal.record("a", "submitted");
    const receipt = { sentAt: "t0", answeredAt: "t1", status: 200, requestId: `req-${secret}` };
    await journal.record("a", "generated", { url: "http://v/a.mp4", receipt });
    await journal.close();
    const text = await readFile(path, "utf8");
    expect(text).not.toContain(secret);
    expect(text).toContain('"requestId":"req-[redacted]"');
    expect(journal.status("a")!.receipts).toEqual([receipt]);
  });

  test("concurrent records (group commit) all land, one whole line each, in call order per job", async () => {
    const path = join(tempDir(), "j.jsonl");
    const { journal } = await Journal.open(path);
    const ids = Array.from({ length: 50 }, (_, index) => `job-${index}`);
    await Promise.all(ids.map((id) => journal.record(id, "pending")));
    await Promise.all(ids.flatMap((id) => [journal.record(id, "submitted"), journal.record(id, "uncertain")]));
    await journal.close();
    const { statuses, records, tornTail } = foldJournal(await readFile(path, "utf8"));
    expect({ records, tornTail }).toEqual({ records: 150, tornTail: false });
    expect([...statuses.values()].every((entry) => entry.state === "uncertain")).toBe(true);
  });

  test("an illegal change throws at once and writes nothing", async () => {
    const path = join(tempDir(), "j.jsonl");
    const { journal } = await Journal.open(path);
    await journal.record("a", "pending");
    expect(() => journal.record("a", "done")).toThrow(JournalTransitionError);
    await journal.close();
    expect((await readFile(path, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  test("a torn last line is cut off on open, so the next record starts a clean line", async () => {
    const path = join(tempDir(), "j.jsonl");
    await writeFile(
      path,
      `${JSON.stringify({ at: "t", id: "a", state: "pending" })}\n{"at":"t","id":"a","state":"subm`,
    );
    const { journal, tornTail } = await Journal.open(path);
    expect(tornTail).toBe(Buffer.byteLength('{"at":"t","id":"a","state":"subm'));
    await journal.record("a", "submitted");
    await journal.close();
    expect(foldJournal(await readFile(path, "utf8"))).toMatchObject({ records: 2, tornTail: false });
  });

  test("a corrupt journal is refused on open", async () => {
    const path = join(tempDir(), "j.jsonl");
    await writeFile(path, "garbage\n");
    await expect(Journal.open(path)).rejects.toThrow(JournalCorruptError);
  });
});

describe("removeStaleParts", () => {
  const tempDir = useTempDir("sora-parts-");

  test("removes only the partial downloads of the batch's own files", async () => {
    const names = [
      ".a.mp4.0123456789ab.part",
      ".b.mp4.ba9876543210.part",
      ".other.mp4.0123456789ab.part",
      "a.mp4",
      ".a.mp4.part",
      "notes.txt",
    ];
    await Promise.all(names.map((name) => writeFile(join(tempDir(), name), "x")));
    expect((await removeStaleParts(tempDir(), new Set(["a.mp4", "b.mp4"]))).sort()).toEqual([
      ".a.mp4.0123456789ab.part",
      ".b.mp4.ba9876543210.part",
    ]);
    expect((await readdir(tempDir())).sort()).toEqual([
      ".a.mp4.part",
      ".other.mp4.0123456789ab.part",
      "a.mp4",
      "notes.txt",
    ]);
  });
});

describe("takeLock", () => {
  const tempDir = useTempDir("sora-lock-");

  test("takes a free lock and releases it", async () => {
    const release = await takeLock(join(tempDir(), "sora-batch.lock"));
    expect(await readFile(join(tempDir(), "sora-batch.lock"), "utf8")).toBe(`${process.pid}\n`);
    await release();
    expect(await readdir(tempDir())).toEqual([]);
  });

  test("refuses a lock held by a live process (a usage error naming its pid)", async () => {
    await writeFile(join(tempDir(), "sora-batch.lock"), `${process.ppid}\n`);
    await expect(takeLock(join(tempDir(), "sora-batch.lock"))).rejects.toThrow(
      new UsageError(`Another sora-video batch (pid ${process.ppid}) is using this out dir.`),
    );
  });

  test("takes over a lock left by a process that is gone (killed mid-batch)", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.once("exit", resolve));
    await writeFile(join(tempDir(), "sora-batch.lock"), `${child.pid}\n`);
    await (
      await takeLock(join(tempDir(), "sora-batch.lock"))
    )();
    expect(await readdir(tempDir())).toEqual([]);
  });
});
