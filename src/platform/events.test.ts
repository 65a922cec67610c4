import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, platformEventSchema } from './events.ts';
import { invalid } from './validation.ts';

const base = { tenantId: 'acme-1', occurredAt: '2026-12-01T10:00:00Z' };
const valid: Record<string, Record<string, unknown>> = {
  'incident.created': {
    caseId: 'inc-1',
    classification: 'unclassified',
    severity: 'high',
    subject: 'Invoice',
  },
  'incident.updated': { caseId: 'inc-1', summary: 'more mail' },
  'incident.resolved': { caseId: 'inc-1', classification: 'malicious' },
  'message.challenged': { caseId: 'msg-1', sender: 'a@b.example', recipients: ['c@d.example'] },
  'message.challenge_resolved': { caseId: 'msg-1', outcome: 'released' },
  'quarantine.release_requested': { caseId: 'q-1', requestedBy: 'user@acme.example' },
  'quarantine.release_resolved': { caseId: 'q-1', decision: 'denied' },
  'ato.detected': { caseId: 'ato-1', mailbox: 'ceo@acme.example', severity: 'critical' },
  'ato.updated': { caseId: 'ato-1', summary: 'new login' },
  'ato.resolved': { caseId: 'ato-1' },
};

function problem(body: unknown) {
  const r = platformEventSchema.safeParse(body);
  return r.success
    ? undefined
    : { field: invalid('body', r.error).issues?.[0]?.field.replace(/^body\./, '') };
}

describe('platform event schemas', () => {
  it('accept one valid event of every type', () => {
    expect(Object.keys(valid).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) expect(problem({ ...base, type, data: valid[type] })).toBeUndefined();
  });

  it('name the field at fault', () => {
    expect(problem({ ...base, type: 'nope', data: {} })?.field).toBe('type');
    expect(problem({ ...base, type: 'incident.created', data: { classification: 'spam' } })?.field).toBe(
      'data.caseId',
    );
    expect(
      problem({ ...base, type: 'quarantine.release_resolved', data: { caseId: 'q', decision: 'maybe' } })
        ?.field,
    ).toBe('data.decision');
    expect(
      problem({ ...base, occurredAt: 'yesterday', type: 'ato.resolved', data: { caseId: 'a' } })?.field,
    ).toBe('occurredAt');
    expect(problem({ ...base, tenantId: '', type: 'ato.resolved', data: { caseId: 'a' } })?.field).toBe(
      'tenantId',
    );
  });
});
