import { request } from 'undici';
import { PLATFORM_API_PREFIX, signWebhook } from '../platform/index.ts';
import { newId } from '../store/index.ts';
import { DemoEventSource } from './events.ts';
import { DEMO_TENANTS } from './plan.ts';

export interface DemoLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface TrickleOptions {
  /** The service's base URL, without a trailing slash. */
  serviceUrl: string;
  platformToken: string;
  /** The partner's webhook secret in clear, to sign with. */
  secret: string;
  logger: DemoLogger;
  /** Gap between events after the first burst; 0 sends only the burst. */
  intervalMs: number;
  firstBurstDelayMs: number;
}

export interface Trickle {
  /** Events the service answered 202 to, so far. */
  sent(): number;
  stop(): void;
}

/**
 * Posts signed platform events to the service's real ingest route: a first burst once the service
 * listens, then one event every `intervalMs`. Timers are unref'd so the trickle never keeps a process up.
 */
export function startEventTrickle(options: TrickleOptions): Trickle {
  const { serviceUrl, platformToken, secret, logger, intervalMs } = options;
  const source = new DemoEventSource(DEMO_TENANTS);
  let sent = 0;
  let stopped = false;
  /** Signs and posts one event; false when the service could not be reached at all. */
  const post = async (event: object, id = `demo_${newId()}`): Promise<boolean> => {
    const body = JSON.stringify(event);
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await request(`${serviceUrl}${PLATFORM_API_PREFIX}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${platformToken}`,
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(secret, id, ts, body),
        },
        body,
      });
      await res.body.dump();
      if (res.statusCode === 202) sent += 1;
      else logger.warn({ status: res.statusCode }, 'demo: an event was refused');
      return true;
    } catch (error) {
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'demo: could not send an event',
      );
      return false;
    }
  };
  const timers: NodeJS.Timeout[] = [];
  const firstBurst = setTimeout(async () => {
    for (const event of source.burst()) {
      // The service may still be starting: retry the first events (same webhook-id, so a delivery that
      // did arrive is not stored twice) for up to ~30 s.
      const id = `demo_${newId()}`;
      for (let attempt = 0; attempt < 60 && !stopped && !(await post(event, id)); attempt++) {
        await new Promise((r) => setTimeout(r, 500));
      }
      if (stopped) return;
    }
    if (intervalMs > 0 && !stopped) {
      const tick = setInterval(() => void post(source.next()), intervalMs);
      tick.unref();
      timers.push(tick);
    }
  }, options.firstBurstDelayMs);
  firstBurst.unref();
  timers.push(firstBurst);
  return {
    sent: () => sent,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
