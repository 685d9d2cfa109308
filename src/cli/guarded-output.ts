/** What guardOutput needs from a process stream: its writes and its `error` events. */
export interface OutputStream {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  on(event: "error", listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

/**
 * The same stream (its prototype keeps isTTY, columns and what colour needs), made safe to write
 * to after its reader went away: `sora-video batch … 2>&1 | head -3` closes the pipe while paid
 * renders are open, and Node reports that as an `error` event (EPIPE; EIO for a terminal that was
 * closed), which, unhandled, ends the process and strands those renders as `uncertain` with the
 * lock left behind. Once a write fails, this stream drops every later write (logging stops) and
 * the work goes on: open renders finish into the journal and the lock is released.
 */
export function guardOutput<T extends OutputStream>(stream: T): T & { readonly readerGone: boolean } {
  let closed = false;
  // Any error on an output stream means nothing more can be shown there; it is never a reason to stop the work.
  stream.on("error", () => {
    closed = true;
  });
  const guarded = Object.create(stream as object) as T & { readerGone: boolean };
  Object.defineProperty(guarded, "readerGone", { get: () => closed || stream.destroyed === true });
  guarded.write = (chunk: string, callback?: (error?: Error | null) => void): boolean => {
    if (guarded.readerGone) {
      if (callback) process.nextTick(callback);
      return true;
    }
    return stream.write(chunk, callback);
  };
  return guarded;
}
