import { spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** The mock's counters a benchmark checks. */
export interface MockProcessStats {
  accepted: number;
  downloads: number;
  taskPolls: number;
}

/** The embedded mock running in its own Node process (from dist/), so it does not share a core with what is measured. */
export interface MockProcess {
  url: string;
  /** Asks the mock for its stats (accepted generations, downloads, polls of the task endpoint). */
  stats(): Promise<MockProcessStats>;
  stop(): void;
}

/**
 * Starts `startMockServer(options)` from dist/mock.cjs in a child process. Needs `npm run build`.
 * `mode: "async"` answers each submit with a task envelope and serves the task endpoint.
 */
export async function startMockProcess(options: {
  latencyMs?: number;
  videoBytes?: number;
  mode?: "sync" | "async";
}): Promise<MockProcess> {
  const script = `
    const { startMockServer } = require(${JSON.stringify(join(ROOT, "dist", "mock.cjs"))});
    startMockServer(${JSON.stringify(options)}).then((mock) => {
      process.stdout.write(mock.url + "\\n");
      process.on("message", () => process.send({ accepted: mock.stats.accepted, downloads: mock.stats.downloads, taskPolls: mock.stats.taskPolls }));
    });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the mock process exited with ${code}`)));
  });
  return {
    url,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve(message as MockProcessStats));
        child.send("stats");
      }),
    stop: () => void child.kill("SIGTERM"),
  };
}
