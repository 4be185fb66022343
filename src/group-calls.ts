/**
 * Group commit: calls that arrive while a run is in flight wait and go together in the next run,
 * up to `max` at a time. An idle system runs each call at once, alone; a busy one runs them in
 * batches as large as the load makes them, so the cost per run (a transaction, a round trip) is
 * shared instead of paid per call. `run` settles each input at its index and never throws.
 */
export function groupSettledCalls<In, Out>(
  run: (inputs: In[]) => Promise<PromiseSettledResult<Out>[]>,
  max: number,
): (input: In) => Promise<Out> {
  let waiting: { input: In; resolve: (out: Out) => void; reject: (reason: unknown) => void }[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, max);
      waiting = waiting.slice(max);
      const settled = await run(batch.map((w) => w.input)).catch((error: unknown) =>
        batch.map((): PromiseSettledResult<Out> => ({ status: 'rejected', reason: error })),
      );
      batch.forEach((w, i) => {
        const s = settled[i];
        if (s?.status === 'fulfilled') w.resolve(s.value);
        else w.reject(s ? s.reason : new Error('a grouped call was not settled'));
      });
    }
    running = false;
  };
  return (input) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!running) void drain();
    });
}

/** Group commit of an all-or-nothing run: its results in input order, or its error for every call of the batch. */
export function groupCalls<In, Out>(run: (inputs: In[]) => Promise<Out[]>, max: number): (input: In) => Promise<Out> {
  return groupSettledCalls(
    (inputs: In[]) =>
      run(inputs).then(
        (outs) => outs.map((value): PromiseSettledResult<Out> => ({ status: 'fulfilled', value })),
        (error: unknown) => inputs.map((): PromiseSettledResult<Out> => ({ status: 'rejected', reason: error })),
      ),
    max,
  );
}

/**
 * Runs the tasks given to it one at a time, in the order given — except that a task marked `next`
 * goes before those waiting: a job that has begun (a province's ZIP, a batch at a time) finishes
 * before the next job begins, so its rollup can run while the next is decided, instead of every
 * job finishing together at the end.
 */
export function oneAtATime(): <T>(task: () => Promise<T>, options?: { next?: boolean }) => Promise<T> {
  const waiting: (() => void)[] = [];
  let busy = false;
  const release = () => {
    const go = waiting.shift();
    if (go) go();
    else busy = false;
  };
  return <T>(task: () => Promise<T>, options: { next?: boolean } = {}) =>
    new Promise<T>((resolve, reject) => {
      const go = () => {
        task().then(resolve, reject).finally(release);
      };
      if (!busy) {
        busy = true;
        go();
      } else if (options.next) waiting.unshift(go);
      else waiting.push(go);
    });
}
