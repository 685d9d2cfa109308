// Preloaded (node --require) into every server the contract suite spawns. The suite holds the
// child's stdin pipe; when the suite's process dies, even by SIGKILL where no handler runs, the
// pipe closes and the child exits, so no server outlives the run.
"use strict";
const leave = () => process.exit(0);
process.stdin.on("end", leave);
process.stdin.on("error", leave);
process.stdin.resume();
