/**
 * Thrown by `startMockServer` when one of its options is unusable (a port outside 0–65535, a
 * negative `latencyMs`, an empty `apiKey`, a `videoBytes` the sample cannot be padded to). The
 * mock's own error, not one of the client's: nothing was started, nothing was sent. `option` names
 * the option at fault, as the caller spells it.
 */
export class MockOptionError extends Error {
  override readonly name = "MockOptionError";

  constructor(
    /** The option at fault, e.g. "port". */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}
