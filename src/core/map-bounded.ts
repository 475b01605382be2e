// Bounded concurrency for I/O over many items (file reads, API writes): at most `limit` tasks in
// flight, results in the order of the items.

/** Runs `task` over `items` with at most `limit` at once. Rejects as soon as a task rejects. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
