import { createSoraClient, downloadVideo, longCallFetch, type SoraClientOptions } from "../../node";
import { requestIdOf } from "../../read-body";
import { isRemixRequest, withJobModel } from "../../batch/job-request";
import type { Receipt } from "../../batch/journal-state";
import type { BatchClient, GenerationHooks } from "./scheduler";
import type { TaskWait } from "../task-flow";

/**
 * Wraps a fetch so each attempt of one job's generation is announced before it is sent (the
 * journal records `submitted` again before a re-send) and leaves the facts of its receipt.
 */
function recordAttempts(fetch: typeof globalThis.fetch, hooks: GenerationHooks): typeof globalThis.fetch {
  return async (input, init) => {
    await hooks.beforeSend();
    const receipt: Receipt = { sentAt: new Date().toISOString() };
    try {
      const response = await fetch(input, init);
      const requestId = requestIdOf(response.headers);
      hooks.onAnswer({ ...receipt, answeredAt: new Date().toISOString(), status: response.status, requestId });
      return response;
    } catch (error) {
      hooks.onAnswer({ ...receipt, answeredAt: new Date().toISOString() });
      throw error;
    }
  };
}

/**
 * The BatchClient the CLI runs with: each generation gets a client of its own whose fetch records
 * its attempts (cheap: options are resolved in microseconds), downloads resume their `.part`.
 */
export function liveBatchClient(options: SoraClientOptions, wait: TaskWait): BatchClient {
  const fetch = options.fetch ?? longCallFetch;
  const poller = createSoraClient({ ...options, fetch });
  return {
    waitForTask: (taskId, { signal }) => poller.waitForTask(taskId, { ...wait, signal }),
    render(request, { signal, hooks }) {
      const sora = createSoraClient({ ...options, fetch: hooks ? recordAttempts(fetch, hooks) : fetch });
      const callOptions = { signal, onRetry: hooks?.onRetry };
      return isRemixRequest(request)
        ? sora.remixVideo(request, callOptions)
        : sora.generateVideo(withJobModel(request), callOptions);
    },
    downloadVideo: (url, dest, downloadOptions) => downloadVideo(url, dest, downloadOptions),
  };
}
