// One task at a time per key: commands to one game run in order, each deciding on the state the last one left.
// Different keys run concurrently. A task queued with runFirst goes ahead of those still waiting (never of the one
// under way): a phase deadline is due now, and must not wait behind every command that arrived before it fired.

interface Lane {
  /** Tasks waiting for the one under way, in the order they will start. */
  waiting: (() => void)[];
  /** Resolved when the lane empties (drain). */
  idle: (() => void)[];
}

export class KeyedQueue {
  /** Keys with a task under way; idle keys are forgotten, so the map holds only games with work queued. */
  readonly #lanes = new Map<string, Lane>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#enqueue(key, task, false);
  }

  /** Like run, but starts as soon as the task under way (if any) ends, ahead of the tasks waiting. */
  runFirst<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#enqueue(key, task, true);
  }

  /** Null when nothing is queued for the key; else resolves once what is queued now has run. */
  pending(key: string): Promise<void> | null {
    const lane = this.#lanes.get(key);
    return lane ? new Promise<void>((r) => lane.idle.push(r)) : null;
  }

  /** Resolves once every task queued so far (and any queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#lanes.size)
      await Promise.all([...this.#lanes.values()].map((lane) => new Promise<void>((r) => lane.idle.push(r))));
  }

  #enqueue<T>(key: string, task: () => Promise<T>, first: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        // A task that throws at once fails its own promise, like one that rejects, and the lane goes on.
        const run = Promise.resolve().then(task);
        run.then(resolve, reject);
        run.then(
          () => this.#next(key),
          () => this.#next(key),
        );
      };
      const lane = this.#lanes.get(key);
      if (!lane) {
        this.#lanes.set(key, { waiting: [], idle: [] });
        start();
      } else if (first) lane.waiting.unshift(start);
      else lane.waiting.push(start);
    });
  }

  #next(key: string): void {
    const lane = this.#lanes.get(key);
    if (!lane) return;
    const following = lane.waiting.shift();
    if (following) {
      following();
      return;
    }
    this.#lanes.delete(key);
    for (const done of lane.idle) done();
  }
}
