import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { isAlive, waitUntilGone } from "./support/process-alive";
import { PrismStartError, prismArguments, prismEntry, startPrism, type PrismHandle } from "./support/prism";
import { discriminated, loadSpec, pageName, specFiles, type SpecDocument } from "../src/verify/spec";
import { REPO_ROOT, mergedSpec } from "./support/spec";
import { currentTarget } from "./support/target";

const FAKE = join(__dirname, "fixtures", "fake-prism.cjs");
const started: PrismHandle[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((prism) => prism.stop()));
});

async function startFake(mode: string, options: Parameters<typeof startPrism>[0] = {}) {
  const saved = process.env.FAKE_PRISM;
  process.env.FAKE_PRISM = mode;
  try {
    return await startPrism({ entry: FAKE, ...options });
  } finally {
    if (saved === undefined) delete process.env.FAKE_PRISM;
    else process.env.FAKE_PRISM = saved;
  }
}

async function startFailure(promise: Promise<PrismHandle>): Promise<PrismStartError> {
  const outcome = await promise.then(
    (prism) => {
      started.push(prism);
      return new Error("started, but should not have");
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(PrismStartError);
  return outcome as PrismStartError;
}

interface Holder {
  process: ChildProcess;
  prismPid: number;
  ended: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Runs fixtures/hold-prism.ts in a child process (through tsx) and waits for the PID of its Prism. */
async function hold(argument: "exit" | "wait"): Promise<Holder> {
  const child = spawn(
    process.execPath,
    ["--require", require.resolve("tsx/cjs"), join(__dirname, "fixtures", "hold-prism.ts"), argument],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, FAKE_PRISM: "ready" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const ended = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  return { process: child, prismPid: (JSON.parse(line.toString().trim()) as { pid: number }).pid, ended };
}

const target = currentTarget();

// A self-test of the suite's own machinery: provider mode starts no Prism at all.
(target.mockMode ? describe : describe.skip)(
  `the Prism lifecycle: started on demand, owned, and never left behind${target.mockMode ? "" : " (suite self-test: skipped against a provider)"}`,
  () => {
    test("Prism runs as `node <prism-cli bin> mock -h 127.0.0.1 -p <port> <spec>`", () => {
      expect(prismEntry()).toMatch(/@stoplight[\\/]prism-cli[\\/]dist[\\/]index\.js$/);
      const args = prismArguments(prismEntry(), "/tmp/spec.json", "127.0.0.1", 4010);
      expect(args.slice(2)).toEqual([prismEntry(), "mock", "-h", "127.0.0.1", "-p", "4010", "/tmp/spec.json"]);
    });

    test("Prism serves the verbatim pages merged (mergeDocuments): each page's paths unchanged, no overlay", () => {
      const files = specFiles();
      expect(files.length).toBeGreaterThanOrEqual(2);
      const merged = mergedSpec(files);
      const pages = files.map((file) => ({ page: pageName(file), spec: loadSpec(file) }));
      const routes = new Set(pages.flatMap(({ spec }) => Object.keys(spec.paths)));
      for (const path of routes) {
        const sharing = pages.filter(({ spec }) => path in spec.paths);
        if (sharing.length === 1) {
          expect(merged.paths[path]).toEqual(sharing[0]!.spec.paths[path]);
          continue;
        }
        // Models on one path: the body is a oneOf of the pages' own bodies, each page's `model` limited
        // to its own models (the only change), everything else as the pages have it.
        const bodyOf = (spec: SpecDocument) => spec.paths[path]!.post!.requestBody!.content["application/json"]!.schema;
        const bodies = sharing.map(({ page, spec }) => bodyOf(discriminated(page, spec)));
        expect(bodyOf(merged)).toEqual({ oneOf: bodies });
        for (const [index, { spec }] of sharing.entries()) {
          const { model, ...rest } = bodies[index]!.properties!;
          const { model: verbatimModel, ...verbatimRest } = bodyOf(spec).properties!;
          expect(rest).toEqual(verbatimRest);
          expect(model).toEqual({ ...verbatimModel, enum: expect.any(Array) });
        }
        expect(merged.paths[path]!.post!.responses).toEqual(sharing[0]!.spec.paths[path]!.post!.responses);
      }
      expect(Object.keys(merged.paths)).toHaveLength(routes.size);
      expect(JSON.stringify(merged)).not.toMatch(/operationId|4XX/);
    });

    test("a real Prism starts on a free loopback port, serves every page's path; after stop() it is gone", async () => {
      const prism = await startPrism();
      expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(prism.log()).toContain("POST");
      for (const path of Object.keys(mergedSpec().paths)) {
        const init = {
          method: "POST",
          headers: { authorization: "k", "content-type": "application/json" },
          body: "{}",
        };
        expect((await fetch(`${prism.url}${path}`, init)).status).toBe(422);
      }
      expect(isAlive(prism.pid)).toBe(true);
      await prism.stop();
      expect(isAlive(prism.pid)).toBe(false);
      await expect(fetch(prism.url)).rejects.toThrow();
    }, 30_000);

    test("a Prism that cannot start (no such spec) fails with its log in the error, and leaves no process", async () => {
      const error = await startFailure(startPrism({ specPath: join(__dirname, "no-such-spec.json") }));
      expect(error.message).toMatch(/exited \(code \d+\) before it was ready/);
      expect(error.message).toContain("--- Prism log ---");
      expect(error.message).toContain("no-such-spec.json");
      expect(isAlive(error.pid!)).toBe(false);
    }, 30_000);

    test("a server that never reports ready is killed at the deadline, and the error says so", async () => {
      const before = Date.now();
      const error = await startFailure(startFake("silent", { deadlineMs: 500 }));
      expect(error.message).toContain('no "Prism is listening" within 500 ms');
      expect(Date.now() - before).toBeLessThan(15_000);
      expect(isAlive(error.pid!)).toBe(false);
    }, 30_000);

    test("stop() escalates to SIGKILL when SIGTERM is ignored, and resolves only once the process is gone", async () => {
      const prism = await startFake("stubborn", { graceMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await prism.stop();
      expect(isAlive(prism.pid)).toBe(false);
    }, 30_000);

    describe("whatever ends the process holding Prism, Prism goes too", () => {
      const endings = [
        ["SIGINT", "the interrupt guard kills Prism and re-raises the signal"],
        ["SIGTERM", "the interrupt guard kills Prism and re-raises the signal"],
        ["exit", "the exit handler kills Prism"],
        ["SIGKILL", "no handler runs; Prism sees its stdin pipe close and exits"],
      ] as const;
      const holders = new Map<string, Holder>();

      // Started together: each holder spends most of its time loading tsx.
      beforeAll(async () => {
        await Promise.all(endings.map(async ([how]) => holders.set(how, await hold(how === "exit" ? "exit" : "wait"))));
      }, 30_000);
      afterAll(() => {
        for (const holder of holders.values()) holder.process.kill("SIGKILL");
      });

      test.each(endings)(
        "%s (%s)",
        async (how) => {
          const holder = holders.get(how)!;
          if (how !== "exit") holder.process.kill(how);
          const [code, signal] = await holder.ended;
          expect(how === "exit" ? code : signal).toBe(how === "exit" ? 0 : how);
          expect(await waitUntilGone(holder.prismPid, 10_000)).toBe(true);
        },
        15_000,
      );
    });
  },
);
