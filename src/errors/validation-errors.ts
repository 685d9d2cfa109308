import { SoraError } from "./sora-error";

/** One problem found in a body: where (a JSON pointer, "" for the whole body) and what is wrong. */
export interface ValidationIssue {
  /** JSON pointer to the offending value, e.g. "/duration"; "" for the body itself. */
  path: string;
  /** What is wrong, in words, e.g. `must be one of "4", "8", "12"`. */
  message: string;
}

/** The issues on one line: `/duration must be one of …; /prompt is required`. */
export function summarizeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || "(body)"} ${issue.message}`).join("; ");
}

/**
 * Thrown before any network traffic when the request body breaks the spec (a missing prompt, a
 * duration of "5", a wrong type). `issues` lists every problem found. Nothing was sent.
 */
export class RequestValidationError extends SoraError {
  override readonly name: string = "RequestValidationError";
  /** Every problem found in the request body. */
  readonly issues: readonly ValidationIssue[];

  /** `endpoint`: the operation the body was for, e.g. "POST /v1/videos/edits". */
  constructor(issues: readonly ValidationIssue[], endpoint = "POST /v1/videos/generations") {
    super(`Invalid request for ${endpoint}: ${summarizeIssues(issues)}. Nothing was sent.`, {
      mayHaveBeenAccepted: false,
    });
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * Thrown when the server answered 200 but the body breaks the spec (with
 * `validateResponses: "throw"`, or always when it is not JSON at all). The server broke the
 * contract; the generation was accepted and is likely billed, so `mayHaveBeenAccepted` is true.
 * `body` holds what was received (parsed JSON or text) so nothing is lost.
 */
export class ResponseValidationError extends SoraError {
  override readonly name: string = "ResponseValidationError";
  /** Every problem found in the response body. */
  readonly issues: readonly ValidationIssue[];
  /** The response body as received: parsed JSON when it parsed, else the text. */
  readonly body: unknown;
  /** The request ID the server gave, if any. */
  readonly requestId: string | undefined;

  constructor(issues: readonly ValidationIssue[], body: unknown, requestId: string | undefined, cause?: unknown) {
    super(
      `The API's response broke the contract: ${summarizeIssues(issues)}${requestId ? ` (request ${requestId})` : ""}. The generation may have been billed.`,
      { mayHaveBeenAccepted: true, cause },
    );
    this.issues = issues;
    this.body = body;
    this.requestId = requestId;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues, requestId: this.requestId };
  }
}
