import { ContractConfigError, printableUrl } from "./config";

/**
 * Fails fast when nothing answers at `baseUrl`: one GET without credentials, any HTTP status
 * counts as an answer. The error names the URL and the cause, never the key.
 */
export async function probeProvider(baseUrl: string, timeoutMs = 10_000): Promise<number> {
  try {
    const response = await fetch(baseUrl, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      cause.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (cause.cause?.code ?? cause.cause?.message ?? cause.message);
    throw new ContractConfigError(
      `The provider at CONTRACT_BASE_URL ${printableUrl(baseUrl)} does not answer (${reason}). Check the URL and that the server is up.`,
    );
  }
}
