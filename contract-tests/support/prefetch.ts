/**
 * Answers to requests sent ahead of time, `concurrency` at a time, keyed by the JSON of what was
 * sent. A property test then reads each answer from here instead of waiting for one round trip
 * after another; a key it does not hold (a shrunk body) is sent there and then.
 */
export async function prefetched<T>(
  bodies: readonly unknown[],
  send: (body: unknown) => Promise<T>,
  concurrency = 8,
): Promise<(body: unknown) => Promise<T>> {
  const answers = new Map<string, Promise<T>>();
  const unique = [...new Map(bodies.map((body) => [JSON.stringify(body), body])).entries()];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const [key, body] = unique[next++]!;
      const answer = send(body);
      answers.set(key, answer);
      await answer.catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  return (body) => answers.get(JSON.stringify(body)) ?? send(body);
}
