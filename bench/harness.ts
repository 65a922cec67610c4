/** What every benchmark suite (`bench/*.bench.ts`, default export) provides. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Anything else worth keeping: floor, ratio, sample size, notes. */
  [extra: string]: unknown;
}

export interface BenchContext {
  /** Report one row; rows whose names do not match the requested prefix are dropped by the runner. */
  emit(row: BenchRow): void;
  /** Whether any row starting with `prefix` was asked for — lets a suite skip expensive parts. */
  wants(prefix: string): boolean;
  /** Progress for people (stderr), never mixed into the JSON lines. */
  progress(message: string): void;
}

export interface BenchSuite {
  /** Short name, for progress output. */
  name: string;
  /** Every row name the suite can emit (used to decide whether to run it at all). */
  rows: string[];
  run(ctx: BenchContext): Promise<void>;
}

export function defineSuite(suite: BenchSuite): BenchSuite {
  return suite;
}

/** Percentile by nearest rank over an unsorted sample (copied, not mutated). */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
