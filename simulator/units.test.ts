import { describe, expect, it } from 'vitest';
import { CwError } from './errors.ts';
import { applyPatch } from './patch.ts';
import { type Route, Router } from './router.ts';
import { addMonths, isDay, parseCwDate, periodEnd } from './time.ts';

const route = (method: Route['method'], pattern: string): Route => ({
  method,
  pattern,
  permission: null,
  handle: () => ({ status: 200, body: pattern }),
});

describe('Router', () => {
  const router = new Router().add(
    route('GET', 'service/tickets'),
    route('GET', 'service/tickets/:id'),
    route('POST', 'service/tickets/search'),
    route('PATCH', 'service/tickets/:id'),
  );

  it('matches numeric ids within int32, ignoring case and a trailing slash', () => {
    expect(router.match('GET', 'Service/Tickets/42/')).toMatchObject({ kind: 'found', params: [42] });
    expect(router.match('GET', 'service/tickets/2147483648').kind).toBe('none');
    expect(router.match('GET', 'service/tickets/abc').kind).toBe('none');
  });

  it('tells a wrong verb (405 with the allowed ones) from an unknown path', () => {
    expect(router.match('DELETE', 'service/tickets/1')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET', 'PATCH'],
    });
    expect(router.match('GET', 'service/tickets/search')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['POST'],
    });
    expect(router.match('GET', 'service/nothing').kind).toBe('none');
  });
});

describe('applyPatch', () => {
  const writable = new Set(['summary', 'status', 'externalXRef']);
  const current = { summary: 'a', externalXRef: 'x' };

  it('applies add, replace and remove in order, case-insensitive op, leading slash tolerated', () => {
    const out = applyPatch(
      current,
      [
        { op: 'REPLACE', path: '/summary', value: 'b' },
        { op: 'remove', path: 'externalXRef' },
        { op: 'add', path: 'status', value: { id: 1 } },
      ],
      'ticket',
      writable,
    );
    expect(out).toEqual({ summary: 'b', status: { id: 1 } });
    expect(current).toEqual({ summary: 'a', externalXRef: 'x' });
  });

  it('refuses a body that is not an array, unknown ops, missing paths and values', () => {
    expect(() => applyPatch(current, { op: 'replace' }, 'ticket', writable)).toThrow(CwError);
    for (const op of [
      { op: 'move', path: 'summary' },
      { op: 'replace' },
      { op: 'replace', path: 'summary' },
      'x',
    ]) {
      const err = (() => {
        try {
          applyPatch(current, [op], 'ticket', writable);
        } catch (e) {
          return e as CwError;
        }
      })();
      expect(err?.status, JSON.stringify(op)).toBe(400);
      expect(err?.body.code).toBe('InvalidObject');
    }
  });
});

describe('dates', () => {
  it('parses the date forms CW accepts into YYYY-MM-DDTHH:MM:SSZ', () => {
    expect(parseCwDate('2026-03-01')).toBe('2026-03-01T00:00:00Z');
    expect(parseCwDate('2026-03-01T10:20:30.123Z')).toBe('2026-03-01T10:20:30Z');
    expect(parseCwDate('2026-03-01T10:20:30+02:00')).toBe('2026-03-01T08:20:30Z');
    expect(parseCwDate('2026-02-30')).toBeUndefined();
    expect(parseCwDate('tomorrow')).toBeUndefined();
    expect(parseCwDate(20260301)).toBeUndefined();
    expect(isDay('2026-02-29')).toBe(false);
  });

  it('adds months keeping the day within the month, and ends periods on the last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
    expect(periodEnd('2024-02-10', 1)).toBe('2024-02-29');
    expect(periodEnd('2026-11-01', 3)).toBe('2027-01-31');
  });
});
