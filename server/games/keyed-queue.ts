// One task at a time per key: commands to one game run in order, each deciding on the state the last one left.
// Different keys run concurrently.
const noop = () => {};

export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(noop, noop);
    this.#tails.set(key, tail);
    // Forget idle keys so the map holds only games with work queued.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return run;
  }

  /** Null when nothing is queued for the key; else resolves once what is queued now has run. */
  pending(key: string): Promise<void> | null {
    return this.#tails.get(key) ?? null;
  }

  /** Resolves once every task queued so far (and any queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#tails.size) await Promise.all([...this.#tails.values()]);
  }
}
