/**
 * Runs `work` over `items` with at most `limit` in flight and yields each item's output as soon as it is ready,
 * so a slow account does not hold back the ones behind it. Each work item yields a sequence of values.
 */
export async function* mapConcurrent<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => AsyncIterable<R>,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : toAsync(items as Iterable<T>);
  yield* merge(
    (function* () {
      for (let i = 0; i < limit; i++) yield pull(iterator, work);
    })(),
  );
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

// One worker: takes the next item until the source is empty.
async function* pull<T, R>(iterator: AsyncIterator<T>, work: (item: T) => AsyncIterable<R>): AsyncGenerator<R> {
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield* work(next.value);
}

/** Interleaves several async streams, yielding values in the order they arrive. */
export async function* merge<R>(streams: Iterable<AsyncIterable<R>>): AsyncGenerator<R> {
  const iterators = [...streams].map((stream) => stream[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<R> }>>();
  const advance = (index: number) =>
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  iterators.forEach((_, index) => {
    advance(index);
  });
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      advance(index);
      yield result.value;
    }
  } finally {
    // The consumer stopped early: close the streams still running.
    await Promise.allSettled([...pending.keys()].map((index) => iterators[index]!.return?.()));
  }
}
