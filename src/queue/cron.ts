import { CronExpressionParser } from 'cron-parser';
import type { ScheduleOptions } from './types.ts';

// cron-parser is the parser pg-boss schedules with, so an expression (5 fields, or 6 with seconds first,
// in an IANA zone) means the same on both adapters.

/** Throws a TypeError naming the problem when `expression` or `tz` is not usable. */
export function assertCron(expression: string, tz = 'UTC'): void {
  try {
    CronExpressionParser.parse(expression, { tz, strict: false });
  } catch (error) {
    throw new TypeError(`invalid cron expression "${expression}" (tz ${tz}): ${(error as Error).message}`);
  }
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(expression: string, tz: string, after: Date): Date {
  return CronExpressionParser.parse(expression, { tz, strict: false, currentDate: after }).next().toDate();
}

/** A schedule's options with their defaults filled in, after checking the expression in its zone. */
export function resolveSchedule(
  name: string,
  cron: string,
  options: ScheduleOptions,
): { tz: string; key: string; singletonKey: string; missed: 'skip' | 'once' } {
  const tz = options.tz ?? 'UTC';
  assertCron(cron, tz);
  const key = options.key ?? '';
  return {
    tz,
    key,
    singletonKey: options.singletonKey ?? `schedule:${name}:${key}`,
    missed: options.missed ?? 'once',
  };
}
