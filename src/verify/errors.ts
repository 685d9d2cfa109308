/**
 * The provider did not answer at all (refused, reset, DNS, TLS, timeout) on the first request:
 * nothing can be verified. The message names the URL, never the key. `sora-video verify` exits 2.
 */
export class ProviderUnreachableError extends Error {
  override readonly name = "ProviderUnreachableError";
  /** The base URL that did not answer. */
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string } })?.cause?.code ?? (cause as Error)?.message ?? String(cause);
    super(`The provider at ${url} did not answer (${reason}): nothing was verified.`, { cause });
    this.url = url;
  }
}

/**
 * A verify option or input is unusable (an unknown operation, a plain-http URL to a non-loopback
 * host, a recordings directory that does not exist or holds none). Nothing was sent. Exit 2.
 */
export class VerifyUsageError extends Error {
  override readonly name = "VerifyUsageError";
}
