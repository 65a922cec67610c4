import type { QueueSettings } from '../types.ts';

/** A `queue_jobs` row as SQLite returns it (src/store/migrations/0002_queue.ts). */
export interface JobRow {
  id: string;
  name: string;
  data: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'failed';
  singleton_key: string | null;
  attempts: number;
  retry_limit: number;
  retry_delay_s: number;
  retry_backoff: 0 | 1;
  retry_delay_max_s: number;
  expire_s: number;
  run_at: number;
  created_at: number;
  started_at: number | null;
  lease_until: number | null;
  lease_token: string | null;
  completed_at: number | null;
  error: string | null;
}

export interface ScheduleRow {
  name: string;
  key: string;
  cron: string;
  tz: string;
  data: string;
  singleton_key: string;
  missed: 'skip' | 'once';
  next_run_at: number;
  updated_at: number;
}

/** The settings a job was sent with, which it keeps for its whole life. */
export function jobSettings(row: JobRow): QueueSettings {
  return {
    retryLimit: row.retry_limit,
    retryDelaySeconds: row.retry_delay_s,
    retryBackoff: row.retry_backoff === 1,
    retryDelayMaxSeconds: row.retry_delay_max_s,
    expireInSeconds: row.expire_s,
  };
}
