// Group commit: concurrent callers each submit one item; items that arrive while a commit is running (or
// within `windowMs` of the first) are written together in ONE transaction, and every caller is answered
// only after that transaction committed. With SQLite `synchronous=FULL` one fsync then serves a whole batch
// instead of one request, which is what makes durable ingest fast; latency at low load stays one commit.
//
// If a batch fails, its items are retried one by one so a single bad item cannot fail its neighbours
// (and a transient error does not turn into N errors without a second try).

export interface GroupCommitOptions {
  /** Most items per transaction. */
  maxBatch?: number;
  /** How long the first item of a batch waits for company when no commit is running; 0 = no wait. */
  windowMs?: number;
  /** Transactions in flight at once (1 for SQLite's single writer; a few for Postgres). */
  concurrency?: number;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommitter<T, R> {
  readonly #commit: (items: T[]) => Promise<R[]>;
  readonly #maxBatch: number;
  readonly #windowMs: number;
  readonly #concurrency: number;
  #queue: Pending<T, R>[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #idle: Array<() => void> = [];
  /** Batches committed so far and items in them, for metrics and the benchmark's notes. */
  readonly stats = { batches: 0, items: 0, maxBatchSeen: 0 };

  constructor(commit: (items: T[]) => Promise<R[]>, options: GroupCommitOptions = {}) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#windowMs = options.windowMs ?? 0;
    this.#concurrency = options.concurrency ?? 1;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything submitted so far has been committed or failed. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#inFlight >= this.#concurrency || this.#queue.length === 0) return;
    if (this.#queue.length >= this.#maxBatch) {
      this.#startBatch();
      return;
    }
    // Never start a batch in the same turn an item arrived: better-sqlite3 commits synchronously (the
    // fsync blocks the event loop), so requests that arrived meanwhile are still unread in their sockets.
    // Yielding once to I/O (setImmediate runs after the poll phase) lets them join this batch.
    if (this.#timer || this.#immediate) return;
    if (this.#windowMs > 0 && this.#inFlight === 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startBatch();
      }, this.#windowMs);
    } else {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#startBatch();
      });
    }
  }

  #startBatch(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#immediate) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight += 1;
      void this.#run(batch).finally(() => {
        this.#inFlight -= 1;
        if (this.#queue.length > 0) this.#schedule();
        else if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
      });
    }
  }

  async #run(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.#commit(batch.map((p) => p.item));
      this.stats.batches += 1;
      this.stats.items += batch.length;
      this.stats.maxBatchSeen = Math.max(this.stats.maxBatchSeen, batch.length);
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) {
        try {
          const [result] = await this.#commit([p.item]);
          p.resolve(result as R);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }
}
