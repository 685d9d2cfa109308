import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { useCliServers } from "./helpers/fake-gateway";
import { requireBuiltCli, startCli, waitFor } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

jest.setTimeout(60_000);

describe("the commands printed after a batch stopped by two Ctrl-Cs (the built bin, real signals)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-batch-resume-");
  beforeAll(() => requireBuiltCli());

  test("a --retry-uncertain run: the 'resume' command (nothing is paid twice) is without --retry-uncertain, in text and --json", async () => {
    const mock = await servers.mock({ latencyMs: 20_000 });
    const jobs = join(tempDir(), "jobs.jsonl");
    const lines = ["j1", "j2", "j3"].map((id) =>
      JSON.stringify({ id, prompt: id, image_url: "https://img.example/a.png" }),
    );
    await writeFile(jobs, `${lines.join("\n")}\n`);
    const env = { ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url };
    const journal = join(tempDir(), "out", "sora-batch.journal.jsonl");
    const stopTwice = async (format: string[]) => {
      const args = [
        "batch",
        jobs,
        "--out",
        join(tempDir(), "out"),
        "--concurrency",
        "1",
        "--retry-uncertain",
        ...format,
      ];
      const running = startCli(args, { env });
      const timer = setTimeout(() => running.child.kill("SIGKILL"), 45_000);
      try {
        const submitted = async () => (await readFile(journal, "utf8").catch(() => "")).split('"submitted"').length - 1;
        const before = await submitted();
        await waitFor(
          async () => (await submitted()) > before && mock.stats.accepted > 0,
          20_000,
          "a render to be open",
        );
        running.child.kill("SIGINT");
        await waitFor(() => running.output().stderr.includes("Stopping"), 10_000, "the first Ctrl-C to be heard");
        running.child.kill("SIGINT");
        return await running.done;
      } finally {
        clearTimeout(timer);
      }
    };

    const text = await stopTwice([]);
    expect(text.code).toBe(130);
    const unwrapped = text.stdout.replace(/ \\\n\s+/g, " ");
    const resume =
      /resume \(failed and not-run jobs, accepted tasks, unsaved videos; nothing is paid twice\):\n\s+(.+)\n/.exec(
        unwrapped,
      )?.[1];
    expect(resume).toBeDefined();
    expect(resume).not.toContain("--retry-uncertain");
    expect(unwrapped).toMatch(/MAY BILL TWICE\):\n\s+sora-video batch .*--retry-uncertain/);

    const json = await stopTwice(["--json"]);
    expect(json.code).toBe(130);
    const next = (JSON.parse(json.stdout) as { next_commands: { resume?: string; retry_uncertain?: string } })
      .next_commands;
    expect(next.resume).toBeDefined();
    expect(next.resume).not.toContain("--retry-uncertain");
    expect(next.retry_uncertain).toContain("--retry-uncertain");
  });
});
