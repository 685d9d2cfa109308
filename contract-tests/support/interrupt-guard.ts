/** Something that can be killed synchronously (a PrismHandle). */
export interface Killable {
  killNow(): void;
}

/**
 * Kills `child` if this process exits or is interrupted (SIGINT, SIGTERM) before the child was
 * stopped the normal way. A signal is re-raised after the kill, so the process still ends as it
 * would have. Returns the function that removes the guard.
 */
export function guardAgainstInterrupt(child: Killable): () => void {
  const onExit = () => child.killNow();
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    child.killNow();
    process.kill(process.pid, signal);
  };
  function remove() {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  process.on("exit", onExit);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return remove;
}
