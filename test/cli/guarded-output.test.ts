import { Writable } from "node:stream";
import { guardOutput } from "../../src/cli/guarded-output";

test("guardOutput: once a write fails (EPIPE), later writes are dropped and nothing throws or stays unhandled", async () => {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (written.length === 1) return callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      written.push(chunk.toString());
      callback();
    },
  });
  const guarded = guardOutput(stream);
  guarded.write("one\n");
  guarded.write("two\n");
  await new Promise((resolve) => setImmediate(resolve));
  expect(guarded.readerGone).toBe(true);
  const drained = await new Promise<boolean>((resolve) => guarded.write("three\n", () => resolve(true)));
  expect(drained).toBe(true);
  expect(written).toEqual(["one\n"]);
  // The guarded stream keeps the original's properties (isTTY, columns, colour support live on the prototype).
  expect(guarded).toBeInstanceOf(Writable);
});
