import { createDisplay } from "../../src/cli/progress/display";
import { fitWidth, formatBytes, formatElapsed } from "../../src/cli/progress/format";
import {
  batchEtaMs,
  renderBatch,
  renderDownload,
  renderRendering,
  SPINNER_FRAMES,
} from "../../src/cli/progress/render";

describe("format", () => {
  test.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.50 KiB"],
    [27 * 1024 * 1024, "27.0 MiB"],
    [200 * 1024 * 1024, "200 MiB"],
    [1024 ** 3, "1.00 GiB"],
  ])("formatBytes(%d) = %s", (bytes, want) => expect(formatBytes(bytes)).toBe(want));

  test.each([
    [0, "0s"],
    [999, "0s"],
    [42_000, "42s"],
    [65_000, "1m 05s"],
    [3_723_000, "1h 02m"],
  ])("formatElapsed(%d) = %s", (ms, want) => expect(formatElapsed(ms)).toBe(want));

  test("fitWidth keeps short lines and cuts long ones to columns - 1 with an ellipsis", () => {
    expect(fitWidth("short", 80)).toBe("short");
    const cut = fitWidth("x".repeat(100), 40);
    expect(Array.from(cut)).toHaveLength(39);
    expect(cut.endsWith("…")).toBe(true);
  });
});

describe("renderers are pure functions of state", () => {
  test("rendering: a spinner frame from the elapsed time, the elapsed time, the attempt when > 1", () => {
    expect(renderRendering({ elapsedMs: 42_000, attempt: 1 }, "live")).toBe(
      `${SPINNER_FRAMES[0]} Rendering video… 42s`,
    );
    expect(renderRendering({ elapsedMs: 42_100, attempt: 2 }, "live")).toBe(
      `${SPINNER_FRAMES[1]} Rendering video… 42s (attempt 2)`,
    );
    expect(renderRendering({ elapsedMs: 65_000, attempt: 1 }, "plain")).toBe("rendering… 1m 05s elapsed");
  });

  test("download with a known size: bar, percent, bytes, speed and ETA", () => {
    const line = renderDownload({ bytes: 5 * 1024 * 1024, totalBytes: 10 * 1024 * 1024, elapsedMs: 2_000 }, "live");
    expect(line).toBe(`Downloading [${"#".repeat(7)}${"-".repeat(7)}]  50%  5.00 MiB / 10.0 MiB  2.50 MiB/s ETA 2s`);
    expect(renderDownload({ bytes: 5 * 1024 * 1024, totalBytes: 10 * 1024 * 1024, elapsedMs: 2_000 }, "plain")).toBe(
      "downloading… 50% 5.00 MiB / 10.0 MiB 2.50 MiB/s ETA 2s",
    );
  });

  test("download with an unknown size: bytes and speed only", () => {
    expect(renderDownload({ bytes: 2048, totalBytes: undefined, elapsedMs: 1_000 }, "live")).toBe(
      "Downloading 2.00 KiB  2.00 KiB/s",
    );
    expect(renderDownload({ bytes: 0, totalBytes: undefined, elapsedMs: 0 }, "plain")).toBe("downloading… 0 B  –/s");
  });

  test("batch: counts, generations and downloads in flight apart, elapsed and an ETA from the rate so far", () => {
    const state = { total: 200, done: 45, rendering: 16, downloading: 3, failed: 5, uncertain: 0, elapsedMs: 10_000 };
    expect(batchEtaMs(state)).toBe(30_000);
    const counts = "45/200 done · 16 rendering · 3 downloading · 5 failed";
    expect(renderBatch(state, "plain")).toBe(`batch: ${counts} · 10s · ETA 30s`);
    expect(renderBatch({ ...state, uncertain: 1, done: 0, failed: 0 }, "live")).toBe(
      `${SPINNER_FRAMES[0]} batch 0/200 done · 16 rendering · 3 downloading · 0 failed · 1 uncertain` +
        " · 10s · ETA 33m 10s",
    );
    const onQueue = "batch: 45/200 done · 7 active on the queue · 5 failed · 10s · ETA 30s";
    expect(renderBatch({ ...state, queueActive: 7 }, "plain")).toBe(onQueue);
    expect(batchEtaMs({ ...state, done: 0, failed: 0 })).toBeUndefined();
  });
});

function recorder(columns?: number) {
  const chunks: string[] = [];
  return { stream: { write: (text: string) => chunks.push(text), columns }, chunks };
}

describe("createDisplay", () => {
  test("live: redraws with \\r and erase-line, at most once per minRedrawMs, and clears at the end", () => {
    let now = 0;
    const { stream, chunks } = recorder(40);
    const display = createDisplay({ live: true, stream, now: () => now, minRedrawMs: 100 });
    display.status("render", (style) => `${style} 1`);
    now = 50;
    display.status("render", (style) => `${style} 2`);
    now = 150;
    display.status("render", (style) => `${style} 3`);
    display.status("download", (style) => `${style} 4`);
    display.end();
    expect(chunks).toEqual(["\r\x1b[Klive 1", "\r\x1b[Klive 3", "\r\x1b[Klive 4", "\r\x1b[K"]);
  });

  test("live: a log line goes above the live line, which is redrawn", () => {
    const { stream, chunks } = recorder(80);
    const display = createDisplay({ live: true, stream, now: () => 0 });
    display.status("batch", () => "status");
    display.log("job 1 done");
    expect(chunks).toEqual(["\r\x1b[Kstatus", "\r\x1b[Kjob 1 done\n", "\r\x1b[Kstatus"]);
  });

  test("live: the redraw after a log line shows the latest status, even one the throttle skipped", () => {
    const { stream, chunks } = recorder(80);
    const display = createDisplay({ live: true, stream, now: () => 0 });
    display.status("batch", () => "0/2 done");
    display.status("batch", () => "1/2 done");
    display.log("✓ job 1");
    expect(chunks).toEqual(["\r\x1b[K0/2 done", "\r\x1b[K✓ job 1\n", "\r\x1b[K1/2 done"]);
  });

  test("live: a terminal reporting zero columns gets 80", () => {
    const { stream, chunks } = recorder(0);
    createDisplay({ live: true, stream, now: () => 0 }).status("x", () => "y".repeat(200));
    expect(Array.from(chunks[0]!.replace("\r\x1b[K", ""))).toHaveLength(79);
  });

  test("plain: no escape codes; a status is logged on a phase change and then every plainEveryMs", () => {
    let now = 0;
    const { stream, chunks } = recorder();
    const display = createDisplay({ live: false, stream, now: () => now, plainEveryMs: 10_000 });
    display.status("render", (style) => `${style} a`);
    now = 5_000;
    display.status("render", (style) => `${style} b`);
    now = 10_000;
    display.status("render", (style) => `${style} c`);
    display.status("download", (style) => `${style} d`);
    display.log("saved");
    display.end();
    expect(chunks).toEqual(["plain a\n", "plain c\n", "plain d\n", "saved\n"]);
    expect(chunks.join("")).not.toContain("\x1b");
  });

  test("plain: end() logs the latest status when the throttle hid it (the final counts), and only then", () => {
    let now = 0;
    const { stream, chunks } = recorder();
    const display = createDisplay({ live: false, stream, now: () => now, plainEveryMs: 10_000 });
    display.status("batch", () => "0/2 done");
    now = 1_000;
    display.status("batch", () => "2/2 done");
    display.end();
    display.end();
    expect(chunks).toEqual(["0/2 done\n", "2/2 done\n"]);
  });

  test("live: fit() cuts a line to the display's columns (an override wins over the stream's); plain keeps it", () => {
    const live = createDisplay({ live: true, stream: recorder(80).stream, columns: 20 });
    expect(Array.from(live.fit("x".repeat(50)))).toHaveLength(19);
    expect(live.fit("x".repeat(50)).endsWith("…")).toBe(true);
    expect(createDisplay({ live: false, stream: recorder(20).stream }).fit("x".repeat(50))).toBe("x".repeat(50));
  });
});

test("the widest download line fits an 80-column terminal", () => {
  const line = renderDownload(
    { bytes: 1023 * 1024 * 1024, totalBytes: 1023.4 * 1024 * 1024, elapsedMs: 1_000 },
    "live",
  );
  const slow = renderDownload({ bytes: 1, totalBytes: 1023 * 1024 * 1024, elapsedMs: 3_000 }, "live");
  expect(Array.from(line).length).toBeLessThanOrEqual(79);
  expect(Array.from(slow).length).toBeLessThanOrEqual(79);
});

test("live: log lines wrap at spaces to the width (nothing cut); a command wraps with \\ continuations", () => {
  const chunks: string[] = [];
  const display = createDisplay({ live: true, stream: { write: (text: string) => chunks.push(text) }, columns: 30 });
  display.log("warning: the response did not match the spec at /data/0/url");
  display.logCommand("sora-video download 'https://cdn.example/v.mp4?sig=1' --out /videos/cat.mp4");
  const lines = chunks
    .join("")
    .replace(/\r\x1b\[K/g, "")
    .split("\n")
    .filter(Boolean);
  expect(lines).toEqual([
    "warning: the response did not",
    "  match the spec at",
    "  /data/0/url",
    "  sora-video download \\",
    "    'https://cdn.example/v.mp4?sig=1' \\",
    "    --out /videos/cat.mp4",
  ]);
  const plain: string[] = [];
  const piped = createDisplay({ live: false, stream: { write: (text: string) => plain.push(text) }, columns: 30 });
  piped.logCommand("sora-video download 'https://cdn.example/v.mp4?sig=1' --out /videos/cat.mp4");
  expect(plain).toEqual(["  sora-video download 'https://cdn.example/v.mp4?sig=1' --out /videos/cat.mp4\n"]);
});
