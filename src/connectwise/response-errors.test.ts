import { describe, expect, it } from 'vitest';
import { permissionForRequest } from './permissions.ts';
import { errorFromResponse } from './response-errors.ts';

const e = (
  status: number,
  body: unknown = undefined,
  method = 'GET',
  path = '/finance/agreements/1/additions',
) => errorFromResponse({ method, path, status, body, retryAfterMs: status === 429 ? 2000 : undefined });

describe('errorFromResponse', () => {
  it('maps each status to a typed error with a stable code and advice', () => {
    expect(e(401)).toMatchObject({ code: 'CW_AUTH', retryable: false });
    expect(e(401).message).toMatch(/private key/);
    const denied = e(403, { code: 'Forbidden', message: 'nope' }, 'POST');
    expect(denied).toMatchObject({ code: 'CW_PERMISSION', permission: 'Finance › Agreements: Add' });
    expect(denied.message).toMatch(/lacks Finance › Agreements: Add/);
    expect(e(404, { code: 'NotFound', message: 'Addition 9 not found' })).toMatchObject({
      code: 'CW_NOT_FOUND',
      cwCode: 'NotFound',
    });
    expect(e(409)).toMatchObject({ code: 'CW_CONFLICT' });
    expect(e(429)).toMatchObject({ code: 'CW_RATE_LIMITED', retryAfterMs: 2000, retryable: true });
    expect(e(503)).toMatchObject({ code: 'CW_UNAVAILABLE', retryable: true });
    expect(e(302)).toMatchObject({ code: 'CW_NOT_CONNECTWISE' });
    expect(e(415)).toMatchObject({ code: 'CW_REQUEST_REJECTED' });
  });

  it("keeps CW's field errors for validation failures", () => {
    const err = e(400, {
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      errors: [
        {
          code: 'MissingRequiredField',
          message: 'summary is required.',
          resource: 'ticket',
          field: 'summary',
        },
      ],
    });
    expect(err).toMatchObject({
      code: 'CW_VALIDATION',
      fieldErrors: [{ code: 'MissingRequiredField', field: 'summary', message: 'summary is required.' }],
    });
    expect(err.message).toContain('summary: summary is required.');
  });

  it('strips control characters from CW text', () => {
    expect(e(400, { message: 'bad\r\nFAKE LOG LINE' }).message).not.toMatch(/[\r\n]/);
  });

  it('names the permission a request needed', () => {
    expect(permissionForRequest('PATCH', '/service/tickets/5')?.id).toBe('tickets.edit');
    expect(
      permissionForRequest('PATCH', '/service/tickets/5', 'needs Service Desk › Close Service Tickets: Edit')
        ?.id,
    ).toBe('closeTickets');
    expect(permissionForRequest('GET', '/service/boards/1/statuses')?.id).toBe('tableSetup.serviceBoard');
    expect(permissionForRequest('GET', '/time/workTypes')?.id).toBe('tableSetup.workType');
    expect(permissionForRequest('GET', '/system/info')).toBeUndefined();
  });
});
