/**
 * Thrown by the spec tools when an input file cannot be used: unreadable, no embedded JSON,
 * several candidate blocks, invalid JSON or an invalid OpenAPI document. The CLIs print its
 * message and exit 2; nothing has been written when it is thrown.
 */
export class SpecInputError extends Error {
  override readonly name = "SpecInputError";
  constructor(
    message: string,
    /** The file the problem was found in, when there is one. */
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}
