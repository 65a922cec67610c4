// The event contract of DESIGN §3/§6: `{type, tenantId, occurredAt, data: {caseId, …}}`, one schema per
// type. Objects are loose: the platform may add fields without breaking ingest, and the inbox keeps the
// raw body anyway. What the ticket side relies on is required here, so a bad event is refused at the door
// (400 naming the field) instead of failing later in a job nobody watches.
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const email = z.email().max(320);
const severity = z.enum(['low', 'medium', 'high', 'critical']);
export const tenantIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** Facts a ticket description may show; all optional because not every case has each of them. */
const facts = {
  caseId: text(128),
  severity: severity.optional(),
  subject: z.string().max(998).optional(),
  sender: z.string().max(320).optional(),
  recipients: z.array(z.string().max(320)).max(500).optional(),
  summary: z.string().max(4000).optional(),
  consoleUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
};

export const INCIDENT_CLASSIFICATIONS = [
  'unclassified',
  'malicious',
  'suspicious',
  'spam',
  'benign',
] as const;
const classification = z.enum(INCIDENT_CLASSIFICATIONS);

export const eventDataSchemas = {
  'incident.created': z.looseObject({ ...facts, classification }),
  'incident.updated': z.looseObject({ ...facts, classification: classification.optional() }),
  'incident.resolved': z.looseObject({
    ...facts,
    classification: classification.optional(),
    resolution: z.string().max(4000).optional(),
  }),
  'message.challenged': z.looseObject({ ...facts, messageId: z.string().max(998).optional() }),
  'message.challenge_resolved': z.looseObject({
    ...facts,
    outcome: z.enum(['released', 'deleted', 'expired']).optional(),
  }),
  'quarantine.release_requested': z.looseObject({ ...facts, requestedBy: email }),
  'quarantine.release_resolved': z.looseObject({
    ...facts,
    decision: z.enum(['approved', 'denied']),
    decidedBy: email.optional(),
  }),
  'ato.detected': z.looseObject({
    ...facts,
    mailbox: email,
    indicators: z.array(text(200)).max(50).optional(),
  }),
  'ato.updated': z.looseObject({ ...facts, mailbox: email.optional() }),
  'ato.resolved': z.looseObject({
    ...facts,
    mailbox: email.optional(),
    resolution: z.string().max(4000).optional(),
  }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as EventType[];

/** The case an event belongs to (DESIGN §3): one ticket tracks one case. */
export type CaseKind = 'incident' | 'challenged_message' | 'quarantine_release' | 'account_takeover';
export const CASE_KIND_OF: Record<EventType, CaseKind> = {
  'incident.created': 'incident',
  'incident.updated': 'incident',
  'incident.resolved': 'incident',
  'message.challenged': 'challenged_message',
  'message.challenge_resolved': 'challenged_message',
  'quarantine.release_requested': 'quarantine_release',
  'quarantine.release_resolved': 'quarantine_release',
  'ato.detected': 'account_takeover',
  'ato.updated': 'account_takeover',
  'ato.resolved': 'account_takeover',
};

const envelope = <T extends EventType>(type: T) =>
  z.object({
    type: z.literal(type),
    tenantId: tenantIdSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    data: eventDataSchemas[type],
  });

export const platformEventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((t) => envelope(t)) as unknown as [
    ReturnType<typeof envelope<EventType>>,
    ...ReturnType<typeof envelope<EventType>>[],
  ],
  { error: () => `one of ${EVENT_TYPES.join(', ')}` },
);

export interface PlatformEvent {
  type: EventType;
  tenantId: string;
  occurredAt: string;
  data: { caseId: string; [field: string]: unknown };
}
