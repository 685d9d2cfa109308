/** The codes of a Redis that cannot be reached (refused, reset, timed out, no route, no such host). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** Whether an engine error says Redis cannot be reached (the connection goes on retrying by itself). */
export function isUnreachable(error: unknown): boolean {
  return UNREACHABLE.has(String((error as { code?: unknown } | undefined)?.code));
}

/** Passes an engine error on to `sink`, or drops it when it repeats an outage already reported. */
export type OutageGate = (error: Error, sink: (error: Error) => void) => void;

/**
 * One report per outage: while Redis is away, ioredis retries every few hundred milliseconds and
 * BullMQ emits an error for each try on each of its connections (left without a listener, each is
 * dumped on stderr). The first unreachable error of an outage goes to its sink; the rest are
 * dropped until `connection` is ready again. Any other error always goes through.
 */
export function outageGate(connection: { on(event: "ready", listener: () => void): unknown }): OutageGate {
  let reported = false;
  connection.on("ready", () => {
    reported = false;
  });
  return (error, sink) => {
    if (!isUnreachable(error)) return sink(error);
    if (reported) return;
    reported = true;
    sink(error);
  };
}
