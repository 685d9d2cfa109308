import { describeReceipt, renderFollowUp } from "../../src/cli/batch/follow-up";
import { parseJobs } from "../../src/cli/batch/jobs";
import type { JobResult } from "../../src/cli/batch/scheduler";
import { CANARY_KEY } from "../helpers/fetch";

const [a, b, c] = parseJobs(
  ["a", "b", "c"].map((id) => JSON.stringify({ id, prompt: id, image_url: "https://i.example/x.png" })).join("\n"),
).jobs;
const receipt = {
  requestId: "req_7",
  sentAt: "2026-12-01T10:00:00.000Z",
  answeredAt: "2026-12-01T10:09:00.000Z",
  status: 502,
  error: "InternalServerError",
};

test.each([
  [
    receipt,
    "request req_7 · sent 2026-12-01T10:00:00.000Z · answered 2026-12-01T10:09:00.000Z · HTTP 502 · InternalServerError",
  ],
  [{ sentAt: "t0", error: "Interrupted" }, "request (no id) · sent t0 · no answer · Interrupted"],
])("describeReceipt(%j)", (given, want) => expect(describeReceipt(given)).toBe(want));

test("renderFollowUp: receipts of uncertain jobs, and a download command (full URL, quoted) per video not saved", () => {
  const url = `https://cdn.example/v/b.mp4?sig=${CANARY_KEY}&exp=1`;
  const results: JobResult[] = [
    { job: a!, action: "submit", state: "uncertain", receipts: [receipt] },
    { job: b!, action: "download", state: "failed", url, error: { name: "DownloadError", message: "404" } },
    {
      job: c!,
      action: "submit",
      state: "done",
      url: "https://cdn.example/c.mp4",
      receipts: [{ ...receipt, status: 200 }],
    },
  ];
  expect(renderFollowUp(results, "/out", CANARY_KEY)).toEqual([
    "",
    "Receipts of calls that may have been billed without giving a video (for the provider's support):",
    `  a: ${describeReceipt(receipt)}`,
    "",
    "Generated (and paid for) but not saved; save each for free with:",
    "  sora-video download 'https://cdn.example/v/b.mp4?sig=[redacted]&exp=1' --out /out/b.mp4",
  ]);
});
