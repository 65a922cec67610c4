// The demo's trickle of platform events: cases that open, change and close like real ones, across every
// event type of DESIGN §3. Pure (a seeded random source and a clock in, event bodies out); the sender
// signs and POSTs them through the real ingest route.
import type { EventType, PlatformEvent } from '../platform/index.ts';
import { type DemoTenant, prng } from './plan.ts';

type CaseFamily = 'incident' | 'challenge' | 'quarantine' | 'ato';

interface OpenCase {
  family: CaseFamily;
  caseId: string;
  tenant: DemoTenant;
  mailbox: string;
  step: number;
}

const SUBJECTS = [
  'Invoice #4471 overdue — action required',
  'Your mailbox is almost full',
  'Updated wire instructions for Friday',
  'DocuSign: please review the attached agreement',
  'Shipment held at customs',
  'Payroll change request',
];
const SENDERS = [
  'billing@vendor-payments.example',
  'no-reply@docsign-secure.example',
  'ceo.office@gmail.example',
];
const PEOPLE = ['alex', 'blair', 'casey', 'dana', 'emery', 'harper', 'jordan'];

/** Events in the order a platform would send them; `next()` opens a new case or moves one along. */
export class DemoEventSource {
  readonly #tenants: DemoTenant[];
  readonly #random: () => number;
  readonly #open: OpenCase[] = [];
  #counter = 0;

  constructor(tenants: readonly DemoTenant[], seed = Date.now()) {
    this.#tenants = tenants.filter((t) => t.status === 'active');
    this.#random = prng(seed);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  #openCase(family: CaseFamily): OpenCase {
    const tenant = this.#pick(this.#tenants);
    this.#counter += 1;
    const c: OpenCase = {
      family,
      caseId: `demo-${family}-${Date.now().toString(36)}-${this.#counter}`,
      tenant,
      mailbox: `${this.#pick(PEOPLE)}@${tenant.domains[0]}`,
      step: 0,
    };
    this.#open.push(c);
    return c;
  }

  /** One case of each family walked through every step: all ten event types, in a sensible order. */
  burst(at: Date = new Date()): PlatformEvent[] {
    const out: PlatformEvent[] = [];
    for (const family of ['incident', 'challenge', 'quarantine', 'ato'] as const) {
      const c = this.#openCase(family);
      for (;;) {
        out.push(this.#advance(c, at));
        if (!this.#open.includes(c)) break;
      }
    }
    return out;
  }

  /** The next event of the trickle: usually a step of an open case, sometimes a new case. */
  next(at: Date = new Date()): PlatformEvent {
    if (this.#open.length === 0 || (this.#open.length < 6 && this.#random() < 0.45)) {
      return this.#advance(
        this.#openCase(this.#pick(['incident', 'challenge', 'quarantine', 'ato'] as const)),
        at,
      );
    }
    return this.#advance(this.#pick(this.#open), at);
  }

  #advance(c: OpenCase, at: Date): PlatformEvent {
    const step = c.step++;
    const facts = {
      subject: SUBJECTS[(this.#counter + step) % SUBJECTS.length],
      sender: this.#pick(SENDERS),
      recipients: [c.mailbox],
      consoleUrl: `https://console.platform.example/cases/${c.caseId}`,
    };
    const close = () => this.#open.splice(this.#open.indexOf(c), 1);
    const event = (type: EventType, data: Record<string, unknown>): PlatformEvent => ({
      type,
      tenantId: c.tenant.tenantId,
      occurredAt: at.toISOString(),
      data: { caseId: c.caseId, ...data },
    });
    switch (c.family) {
      case 'incident':
        if (step === 0)
          return event('incident.created', { ...facts, classification: 'unclassified', severity: 'high' });
        if (step === 1)
          return event('incident.updated', { summary: '3 more recipients received this message' });
        close();
        return event('incident.resolved', {
          classification: 'malicious',
          resolution: 'Removed from 4 mailboxes',
        });
      case 'challenge':
        if (step === 0) return event('message.challenged', { ...facts, severity: 'medium' });
        close();
        return event('message.challenge_resolved', {
          outcome: this.#random() < 0.5 ? 'released' : 'deleted',
        });
      case 'quarantine':
        if (step === 0) return event('quarantine.release_requested', { ...facts, requestedBy: c.mailbox });
        close();
        return event('quarantine.release_resolved', {
          decision: this.#random() < 0.6 ? 'approved' : 'denied',
          decidedBy: `it@${c.tenant.domains[0]}`,
        });
      case 'ato':
        if (step === 0) {
          return event('ato.detected', {
            mailbox: c.mailbox,
            severity: 'critical',
            indicators: ['sign-in from a new country', 'inbox rule forwarding to an external address'],
          });
        }
        if (step === 1)
          return event('ato.updated', { mailbox: c.mailbox, summary: 'Password reset by the user' });
        close();
        return event('ato.resolved', { mailbox: c.mailbox, resolution: 'Sessions revoked, MFA enforced' });
    }
  }
}
