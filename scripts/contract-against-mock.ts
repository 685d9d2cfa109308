/**
 * `npm run contract:mock`: proves the embedded mock gateway honours the spec. Starts it on a free
 * loopback port and runs the contract suite against it in provider mode (CONTRACT_BASE_URL), with
 * a paid-call budget large enough for every valid case (the mock is free). Exits with jest's code.
 * `-- --async`: the mock in async mode (the gateway's asynchronous flow: every valid request is
 * answered with a task, which the suite must accept as the paid, unfinished render it is).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startMockServer } from "../src/node/mock/index";

async function main(): Promise<number> {
  const mode = process.argv.includes("--async") ? "async" : "sync";
  const mock = await startMockServer({ mode });
  try {
    const jest = join(__dirname, "..", "node_modules", "jest", "bin", "jest.js");
    const child = spawn(process.execPath, [jest, "--selectProjects", "contract"], {
      cwd: join(__dirname, ".."),
      stdio: "inherit",
      env: {
        ...process.env,
        CONTRACT_BASE_URL: mock.url,
        ONEROUTER_API_KEY: "sk-embedded-mock",
        CONTRACT_PAID_CALLS: "1000",
        JEST_JUNIT_OUTPUT_NAME: `contract-embedded-mock${mode === "async" ? "-async" : ""}.xml`,
      },
    });
    const code = await new Promise<number>((resolve) =>
      child.on("exit", (exit, signal) => resolve(exit ?? (signal ? 1 : 0))),
    );
    process.stderr.write(
      `contract:mock (${mode}): the embedded mock accepted ${mock.stats.accepted} generation(s) and rejected ${mock.stats.rejected} of ${mock.stats.requests} request(s)\n`,
    );
    return code;
  } finally {
    await mock.close();
  }
}

void main().then((code) => process.exit(code));
