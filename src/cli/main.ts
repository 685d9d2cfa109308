#!/usr/bin/env node
/**
 * The `sora-video` command (package.json "bin"). See `sora-video --help`; the commands live in
 * generate.ts, batch.ts and mock.ts, the exit codes in exit.ts.
 */
import { processContext } from "./context";
import { runCli } from "./program";

void runCli(process.argv.slice(2), processContext()).then((code) => {
  // Let stdout drain (a pipe may be slower than us), then leave even if keep-alive sockets linger.
  // A stdout whose reader went away (guarded in processContext) has nothing left to drain.
  if (process.stdout.destroyed || !process.stdout.writable) process.exit(code);
  process.stdout.write("", () => process.exit(code));
});
