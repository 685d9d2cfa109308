/**
 * `npm run generate` / `npm run generate:check`: see scripts/lib/generate-command.ts. Runs in
 * this process and exits with the command's code.
 */
import { runCli } from "./lib/diff/cli-support";
import { driftedFiles } from "./lib/drift";
import { GENERATE_COMMAND } from "./lib/generate-command";

/** Kept here for callers of the generate script; the logic lives in lib/drift.ts. */
export { driftedFiles };

if (require.main === module) runCli(GENERATE_COMMAND);
