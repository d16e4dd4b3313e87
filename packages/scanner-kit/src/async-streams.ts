/**
 * Runs `work` over `items` with at most `limit` in flight and yields each item's output as soon as it is ready,
 * so a slow account does not hold back the ones behind it. Each work item yields a sequence of values.
 */
export async function* mapConcurrent<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => AsyncIterable<R>,
): AsyncGenerator<R> {
  const iterator = isAsyncIterable(items) ? items[Symbol.asyncIterator]() : toAsync(items);
  yield* merge(
    (function* () {
      for (let i = 0; i < limit; i++) yield pull(iterator, work);
    })(),
  );
}

function isAsyncIterable<T>(items: AsyncIterable<T> | Iterable<T>): items is AsyncIterable<T> {
  return Symbol.asyncIterator in items;
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
  type Step = { readonly iterator: AsyncIterator<R>; readonly result: IteratorResult<R> };
  const pending = new Map<AsyncIterator<R>, Promise<Step>>();
  const advance = (iterator: AsyncIterator<R>) =>
    pending.set(
      iterator,
      iterator.next().then((result) => ({ iterator, result })),
    );
  for (const stream of streams) advance(stream[Symbol.asyncIterator]());
  try {
    while (pending.size > 0) {
      const { iterator, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(iterator);
        continue;
      }
      advance(iterator);
      yield result.value;
    }
  } finally {
    // The consumer stopped early: close the streams still running.
    await Promise.allSettled([...pending.keys()].map((iterator) => iterator.return?.()));
  }
}

/** Ends the stream at the first item after `signal` aborts: a sweep that is stopped sends no further request. */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of source) {
    if (signal?.aborted) return;
    yield item;
  }
}
