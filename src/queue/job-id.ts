/**
 * BullMQ refuses custom job ids that are whole numbers or contain `:`; a batch's ids may be both
 * (`"42"`, `"shot:1"`). So every id is stored as `s-` + the id with `%` and `:` percent-escaped:
 * never all digits, never a colon, and one-to-one, so the id read back is the id given.
 */
const PREFIX = "s-";

/** The BullMQ job id of a job id: `42` → `s-42`, `shot:1` → `s-shot%3A1`. */
export function toEngineId(id: string): string {
  return PREFIX + id.replace(/[%:]/g, (char) => (char === "%" ? "%25" : "%3A"));
}

/** The job id of a BullMQ job id made by toEngineId; undefined for any other id. */
export function fromEngineId(engineId: string): string | undefined {
  if (!engineId.startsWith(PREFIX)) return undefined;
  return engineId.slice(PREFIX.length).replace(/%3A|%25/g, (escape) => (escape === "%25" ? "%" : ":"));
}
