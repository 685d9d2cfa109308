/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A named thing to measure: `run` does one unit of work. */
export interface Contender {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * Measures contenders in interleaved rounds (the order rotates each round, so drift on a noisy
 * machine hits everyone alike). Each round times `perRound` sequential runs of each contender and
 * records the mean per run in microseconds; the first round is a warm-up and is dropped.
 * Returns the median per-run time of each contender, in microseconds.
 */
export async function interleaved(
  contenders: readonly Contender[],
  rounds: number,
  perRound: number,
): Promise<Map<string, number>> {
  const samples = new Map(contenders.map((contender) => [contender.name, [] as number[]]));
  for (let round = 0; round <= rounds; round++) {
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length]!);
    for (const contender of order) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) await contender.run();
      const perRunUs = Number(process.hrtime.bigint() - started) / 1000 / perRound;
      if (round > 0) samples.get(contender.name)!.push(perRunUs);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

/** Formats a number with a fixed count of decimals and thousands separators. */
export function fmt(value: number, decimals = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
