/**
 * `npm run -s spec:diff -- OLD NEW [--format text|json|markdown] [--no-typecheck] [--root DIR]`:
 * compares two versions of a vendor page from this client's side (see lib/diff/diff-command.ts).
 * Exit 0: nothing breaking; 1: breaking; 2: invalid input (unreadable, no JSON, not OpenAPI).
 */
import { runCli } from "./lib/diff/cli-support";
import { DIFF_COMMAND } from "./lib/diff/diff-command";

runCli(DIFF_COMMAND);
