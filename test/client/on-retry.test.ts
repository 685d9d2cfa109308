import { createSoraClient, RateLimitError, type RetryNotice } from "../../src";
import { jsonResponse, recordingFetch, VALID_REQUEST, VALID_RESPONSE } from "../helpers/fetch";

describe("generateVideo's onRetry", () => {
  const limited = () => jsonResponse({ error: { message: "slow down" } }, 429, { "retry-after": "0" });

  test("is told of each attempt that will be re-sent, before the wait, with the error and the delay", async () => {
    const { fetch, requests } = recordingFetch(limited(), limited(), jsonResponse(VALID_RESPONSE));
    const notices: RetryNotice[] = [];
    const sora = createSoraClient({ apiKey: "sk-test", fetch });
    await sora.generateVideo(VALID_REQUEST, { onRetry: (notice) => notices.push(notice) });
    expect(requests).toHaveLength(3);
    expect(notices.map(({ attempt, delayMs }) => ({ attempt, delayMs }))).toEqual([
      { attempt: 1, delayMs: 0 },
      { attempt: 2, delayMs: 0 },
    ]);
    for (const { error } of notices) {
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.mayHaveBeenAccepted).toBe(false);
    }
  });

  test("is not called for a failure that is not re-sent (a 500 may have been billed)", async () => {
    const { fetch } = recordingFetch(jsonResponse({ error: { message: "boom" } }, 500));
    const onRetry = jest.fn();
    await expect(
      createSoraClient({ apiKey: "sk-test", fetch }).generateVideo(VALID_REQUEST, { onRetry }),
    ).rejects.toThrow();
    expect(onRetry).not.toHaveBeenCalled();
  });
});
