const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

/** Bytes in binary units: `512 B`, `1.5 KiB`, `27.0 MiB`, `1.00 GiB`. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${UNITS[unit]}`;
}

/** A short duration: `0s`, `42s`, `1m 05s`, `2h 03m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** Cuts a line to the terminal width (one column spare, so the cursor never wraps). */
export function fitWidth(line: string, columns: number): string {
  const max = Math.max(10, columns - 1);
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join("")}…`;
}

/** A fitWidth for `columns`, or (undefined: a pipe or a file) one that keeps lines whole. */
export function fitterFor(columns: number | undefined): (line: string) => string {
  return (line) => (columns === undefined ? line : fitWidth(line, columns));
}
