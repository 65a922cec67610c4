import { UnknownQueueError } from './errors.ts';
import { resolveSettings } from './policy.ts';
import type { QueueDefinition, QueueSettings } from './types.ts';
import { QUEUE_NAME } from './types.ts';

/**
 * The queues one adapter was built with and their resolved settings. Both adapters check names and
 * settings here, so a definition one of them accepts the other accepts too.
 */
export class QueueRegistry {
  readonly #settings = new Map<string, QueueSettings>();

  constructor(queues: QueueDefinition[]) {
    for (const q of queues) {
      if (!QUEUE_NAME.test(q.name)) throw new TypeError(`queue name "${q.name}" must match ${QUEUE_NAME}`);
      this.#settings.set(q.name, resolveSettings(q.name, q));
    }
  }

  /** The settings of a declared queue; an undeclared name is a caller's mistake (UnknownQueueError). */
  settingsOf(name: string): QueueSettings {
    const settings = this.#settings.get(name);
    if (!settings) throw new UnknownQueueError(name);
    return settings;
  }

  /** Like `settingsOf`, for rows that may name a queue only another process declares. */
  find(name: string): QueueSettings | undefined {
    return this.#settings.get(name);
  }

  names(): string[] {
    return [...this.#settings.keys()];
  }

  entries(): IterableIterator<[string, QueueSettings]> {
    return this.#settings.entries();
  }
}

/** `work()` is refused before `start()` and once `stop()` began, on both adapters alike. */
export function assertCanWork(
  registry: QueueRegistry,
  name: string,
  started: boolean,
  stopping: boolean,
): void {
  registry.settingsOf(name);
  if (!started) throw new Error('start() the queue before work()');
  if (stopping) throw new Error('the queue is stopping');
}
