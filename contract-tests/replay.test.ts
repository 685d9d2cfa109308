import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replayRecordings } from "../src/verify/replay";
import { REPO_ROOT } from "./support/spec";

/** The parts of a recording file the drift cases change. */
interface RecordingFile {
  format: string;
  operation: { path: string };
  response: { status: number; text?: string; body?: unknown };
}

const RECORDINGS = join(REPO_ROOT, "contract-tests", "recordings");
const DRIFTED = join(REPO_ROOT, "contract-tests", "fixtures", "drifted-recordings");

describe("recorded responses replayed against the current verbatim specs and the client's parser (no traffic)", () => {
  test("the committed recordings (from the embedded mock: both operations, a 404 and a 402) all hold", async () => {
    const report = await replayRecordings(RECORDINGS);
    expect(report.results.filter((result) => result.outcome !== "passed")).toEqual([]);
    expect(report.summary.casesRun).toBe((await readdir(RECORDINGS)).filter((name) => name.endsWith(".json")).length);
    const operations = new Set(report.results.map((result) => result.operation));
    expect([...operations].sort()).toEqual([
      "sora-2-pro-image-to-video (POST /v1/videos/generations)",
      "sora-2-video-to-video (POST /v1/videos/edits)",
    ]);
    expect(report.results.map((result) => Number(result.received!.split(" ")[0])).sort()).toEqual([200, 200, 402, 404]);
  });

  test.each([
    ["generation-created-renamed.json", /body that breaks the spec: \(body\) must have required property 'created'/],
    ["error-without-envelope.json", /error 402 without the gateway's error envelope/],
  ])("the drifted recording %s fails, naming the rule", async (name, rule) => {
    const report = await replayRecordings(DRIFTED);
    const result = report.results.find((item) => item.title === name)!;
    expect(result.outcome).toBe("failed");
    expect(result.rule).toMatch(rule);
  });

  describe("a recording the client's own parser rejects though the spec allows it, and other drift", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "sora-replay-"));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    async function withRecording(change: (recording: RecordingFile) => void): Promise<string> {
      const [name] = (await readdir(RECORDINGS)).filter((file) => file.includes("generations-200"));
      const recording = JSON.parse(await readFile(join(RECORDINGS, name!), "utf8"));
      change(recording);
      await writeFile(join(dir, "changed.json"), JSON.stringify(recording));
      return (await replayRecordings(dir)).results[0]!.rule ?? "held";
    }

    test.each<[string, (recording: RecordingFile) => void, RegExp]>([
      ["a status the spec does not document", (r) => (r.response.status = 202), /undocumented status 202/],
      ["a path no current spec documents", (r) => (r.operation.path = "/v1/videos/gone"), /no operation/],
      ["not JSON", (r) => ((r.response.text = "<html>"), delete r.response.body), /content-type|breaks the spec/],
      [
        "a 200 carrying the error envelope",
        (r) => (r.response.body = { error: { code: 502, message: "render failed" } }),
        /breaks the spec/,
      ],
      ["not a recording at all", (r) => (r.format = "something/else"), /not a sora-video-recording\/1 file/],
    ])("%s fails", async (_name, change, rule) => {
      expect(await withRecording(change)).toMatch(rule);
    });

    test("an unchanged copy holds (the control)", async () => {
      expect(await withRecording(() => undefined)).toBe("held");
    });

    test("an empty directory is a usage error, not a pass", async () => {
      await expect(replayRecordings(dir)).rejects.toMatchObject({ name: "VerifyUsageError" });
      await cp(DRIFTED, dir, { recursive: true });
      await expect(replayRecordings(dir)).resolves.toBeDefined();
    });
  });
});
