import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MockServer } from "../../src/node/mock";
import { useCliServers } from "./helpers/fake-gateway";
import { CLI, requireBuiltCli } from "./helpers/run-cli";
import { useTempDir } from "./helpers/temp-dir";

jest.setTimeout(60_000);

const IMAGE = "https://img.example/cat.png";

/**
 * Runs `bash -c "<node> <cli> <args> <pipeline>; echo exit=${PIPESTATUS[0]}"`: the built bin
 * with its output piped into a reader that exits early (`| head -3`), as a user's shell does. The
 * shell waits for the bin, so this resolves when the bin ended; `exit` is the bin's own code. The
 * shell runs in a process group of its own, killed (by its pid) if the run takes over `timeoutMs`.
 */
async function runPiped(
  args: readonly string[],
  pipeline: string,
  env: Record<string, string>,
  timeoutMs = 45_000,
): Promise<{ exit: number | undefined; output: string; stderr: string }> {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const command = `${[process.execPath, CLI, ...args].map(quote).join(" ")} ${pipeline}; echo "exit=\${PIPESTATUS[0]}"`;
  const child = spawn("bash", ["-c", command], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
  try {
    await new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
  } finally {
    clearTimeout(timer);
  }
  const exit = /exit=(\d+)/.exec(output)?.[1];
  return { exit: exit === undefined ? undefined : Number(exit), output, stderr };
}

describe("sora-video with a closed output stream (the built bin, its output piped into a reader that exits early)", () => {
  const servers = useCliServers();
  const tempDir = useTempDir("sora-closed-output-");
  let mock: MockServer;
  const out = () => join(tempDir(), "out");
  const jobsFile = () => join(tempDir(), "jobs.jsonl");
  const env = () => ({ ONEROUTER_API_KEY: "sk-test", ONEROUTER_BASE_URL: mock.url });
  const states = async () => {
    const text = await readFile(join(out(), "sora-batch.journal.jsonl"), "utf8");
    const last = new Map<string, string>();
    for (const line of text.split("\n").filter(Boolean)) {
      const record = JSON.parse(line) as { id: string; state: string };
      last.set(record.id, record.state);
    }
    return last;
  };
  const writeJobs = (count: number) =>
    writeFile(
      jobsFile(),
      Array.from(
        { length: count },
        (_, i) => `${JSON.stringify({ id: `j${i + 1}`, prompt: `p${i + 1}`, image_url: IMAGE })}\n`,
      ).join(""),
    );

  beforeAll(() => requireBuiltCli());

  test("batch 2>&1 | head -3: no EPIPE crash; the open renders finish into the journal, the lock is released, exit 0", async () => {
    // Six jobs, four at a time, each rendering 1.5 s: `head` has its three lines (and exits) while four renders are open.
    mock = await servers.mock({ latencyMs: 1_500 });
    await writeJobs(6);
    const run = await runPiped(["batch", jobsFile(), "--out", out()], "2>&1 | head -3", env());
    expect(run.output).not.toMatch(/EPIPE|Unhandled|Error:/);
    expect(run.exit).toBe(0);
    expect([...(await states()).values()]).toEqual(Array(6).fill("done"));
    expect(mock.stats.accepted).toBe(6);
    expect(existsSync(join(out(), "sora-batch.lock"))).toBe(false);
  });

  test("batch --json | true: stdout closed before the summary; the batch still ends cleanly (exit 0, no lock)", async () => {
    mock = await servers.mock({ latencyMs: 200 });
    await writeJobs(2);
    const run = await runPiped(["batch", jobsFile(), "--out", out(), "--json"], "| true", env());
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(run.exit).toBe(0);
    expect([...(await states()).values()]).toEqual(["done", "done"]);
    expect(existsSync(join(out(), "sora-batch.lock"))).toBe(false);
  });

  test("generate 2>&1 | head -1: the render it sent is still saved (exit 0)", async () => {
    mock = await servers.mock({ latencyMs: 1_000 });
    const args = ["generate", "--prompt", "a cat", "--image", IMAGE, "--out", `${out()}/`];
    const run = await runPiped(args, "2>&1 | head -1", env());
    expect(run.output).not.toMatch(/EPIPE|Unhandled|Error:/);
    expect(run.exit).toBe(0);
    expect(mock.stats.accepted).toBe(1);
    expect((await readdir(out())).filter((name) => name.endsWith(".mp4"))).toHaveLength(1);
  });
});
