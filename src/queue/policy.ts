import type { QueueSettings, RetryPolicy } from './types.ts';

/** Defaults for every queue unless its definition or a `send` says otherwise (docs/queue.md). */
export const DEFAULT_SETTINGS: QueueSettings = {
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 15 * 60,
  expireInSeconds: 15 * 60,
};

/**
 * Delay before the next attempt, in seconds, after `attempt` (1-based) failed. The same formula as
 * pg-boss (`src/plans.ts`, failJobs): with backoff, "equal jitter" around `delay * 2^attempt / 2`, so
 * retries of many jobs failing together spread out instead of stampeding; capped by `retryDelayMaxSeconds`.
 */
export function retryDelaySeconds(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (!policy.retryBackoff) return policy.retryDelaySeconds;
  const base = Math.max(policy.retryDelaySeconds, 1);
  const exp = 2 ** Math.min(16, attempt) / 2;
  return Math.min(policy.retryDelayMaxSeconds, base * (exp + exp * random()));
}

export type FailureDecision = { kind: 'retry'; delaySeconds: number } | { kind: 'dead_letter' };

/**
 * What happens to a job whose attempt `attempt` failed: retried after a backoff while attempts remain and
 * the error allows it, else dead-lettered.
 */
export function decideAfterFailure(
  attempt: number,
  retryable: boolean,
  policy: RetryPolicy,
  random: () => number = Math.random,
): FailureDecision {
  if (!retryable || attempt > policy.retryLimit) return { kind: 'dead_letter' };
  return { kind: 'retry', delaySeconds: retryDelaySeconds(attempt, policy, random) };
}

/** Fills a partial settings object from defaults and checks every value, naming the bad one. */
export function resolveSettings(
  name: string,
  ...layers: Array<Partial<QueueSettings> | undefined>
): QueueSettings {
  const out: QueueSettings = { ...DEFAULT_SETTINGS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof QueueSettings>) {
      const value = layer[key];
      if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  const checks: Array<[keyof QueueSettings, boolean]> = [
    ['retryLimit', Number.isInteger(out.retryLimit) && out.retryLimit >= 0],
    ['retryDelaySeconds', Number.isInteger(out.retryDelaySeconds) && out.retryDelaySeconds >= 0],
    ['retryDelayMaxSeconds', Number.isInteger(out.retryDelayMaxSeconds) && out.retryDelayMaxSeconds >= 1],
    [
      'expireInSeconds',
      Number.isInteger(out.expireInSeconds) && out.expireInSeconds >= 1 && out.expireInSeconds <= 86_400,
    ],
    ['retryBackoff', typeof out.retryBackoff === 'boolean'],
  ];
  for (const [key, ok] of checks) {
    if (!ok) throw new TypeError(`queue ${name}: ${key} is invalid (${String(out[key])}); see docs/queue.md`);
  }
  return out;
}

/** Milliseconds since the epoch at which a `startAfter` option says a job may first run. */
export function startAfterMs(startAfter: Date | number | undefined, now: number): number {
  if (startAfter === undefined) return now;
  if (startAfter instanceof Date) return startAfter.getTime();
  return now + startAfter * 1000;
}
