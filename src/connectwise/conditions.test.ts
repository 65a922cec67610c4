import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, dateTime, literal, or, quote, render, where } from './conditions.ts';

describe('conditions', () => {
  it('renders comparisons with the right literal for each type', () => {
    expect(render(where.eq('company/id', 250))).toBe('company/id = 250');
    expect(render(where.eq('closedFlag', false))).toBe('closedFlag = false');
    expect(render(where.ne('nextInvoiceDate', null))).toBe('nextInvoiceDate != null');
    expect(render(where.gt('lastUpdated', dateTime('2016-08-20T18:04:26.123Z')))).toBe(
      'lastUpdated > [2016-08-20T18:04:26Z]',
    );
    expect(render(where.ge('effectiveDate', dateTime('2026-05-01')))).toBe(
      'effectiveDate >= [2026-05-01T00:00:00Z]',
    );
    expect(render(where.lt('dateEntered', new Date(Date.UTC(2020, 0, 2))))).toBe(
      'dateEntered < [2020-01-02T00:00:00Z]',
    );
    expect(render(where.eq('name', 'Acme'))).toBe('name = "Acme"');
  });

  it('quotes strings containing quotes so they stay one literal', () => {
    expect(quote(`O'Brien`)).toBe(`"O'Brien"`);
    expect(quote('say "hi"')).toBe(`'say "hi"'`);
    expect(quote(`it's "x"`)).toBe(`"it's \\"x\\""`);
    expect(quote('C:\\temp')).toBe('"C:\\\\temp"');
    expect(() => quote('a\nb')).toThrow(/control characters/);
  });

  it('renders in lists and refuses empty ones', () => {
    expect(render(where.in('board/id', [3, 2, 4]))).toBe('board/id in (3, 2, 4)');
    expect(render(where.in('name', ['John', 'Ben']))).toBe('name in ("John", "Ben")');
    expect(() => where.in('board/id', [])).toThrow(/at least one/);
  });

  it('groups and/or with parentheses only where needed, skipping absent parts', () => {
    const c = and(
      where.eq('company/id', 1),
      or(where.eq('status/name', 'New'), where.eq('status/name', 'Open')),
      undefined,
      false,
    );
    expect(render(c)).toBe('company/id = 1 and (status/name = "New" or status/name = "Open")');
    expect(render(and(where.eq('a', 1)))).toBe('a = 1');
    expect(and(undefined)).toBeUndefined();
  });

  it('escapes LIKE metacharacters for startsWith', () => {
    expect(render(where.startsWith('name', '50%_off[x]'))).toBe('name like "50[%][_]off[[]x]%"');
  });

  it('refuses field paths and numbers that could change the query', () => {
    expect(() => where.eq('id = 1 or id', 2)).toThrow(/field path/);
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => literal(1e21)).toThrow();
    expect(() => where.gt('a', null)).toThrow(/null/);
  });

  // A tiny reader for double/single-quoted strings with backslash escapes, as the simulator and CW read
  // them: whatever string goes in comes back out and nothing follows the literal.
  function readLiteral(text: string): { value: string; rest: string } {
    const q = text[0]!;
    let out = '';
    let i = 1;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length && ['"', "'", '\\'].includes(text[i + 1]!)) {
        out += text[++i];
      } else if (c === q) break;
      else out += c;
    }
    return { value: out, rest: text.slice(i + 1) };
  }

  it('round-trips any printable string as exactly one literal (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', 'or', ')', '(', '%', 'é') }),
        (s) => {
          const { value, rest } = readLiteral(quote(s));
          expect(value).toBe(s);
          expect(rest).toBe('');
        },
      ),
    );
  });
});
