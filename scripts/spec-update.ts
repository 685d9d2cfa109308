/**
 * `npm run spec:update -- NEW [--accept-breaking] [--format text|json|markdown] [--no-typecheck]`:
 * takes a new version of a vendor page, or a new page, into spec/ and generated/ all or nothing
 * (see lib/diff/update-command.ts). Exit 0: updated or up to date; 1: refused, nothing written;
 * 2: invalid input, nothing written; 3: writing failed and every file was restored.
 */
import { runCli } from "./lib/diff/cli-support";
import { UPDATE_COMMAND } from "./lib/diff/update-command";

runCli(UPDATE_COMMAND);
