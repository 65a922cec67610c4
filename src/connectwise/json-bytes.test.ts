import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decodeText, firstSignificantByte, parseJsonBytes } from './json-bytes.ts';

// Strings that put the cut pattern where a cut must not happen: inside strings, escaped quotes,
// backslashes before the closing quote, and non-ASCII text that makes the UTF-8 path run.
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('},{', '"},{"', '\\', '\\"},{\\"id\\":1', 'x\\\\', ']', '[', 'Zürich', '東京 },{ 🚀', ''),
);
const leaf = fc.oneof(
  tricky,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
// Records like CW's: objects with nested objects and arrays of objects (which contain `},{` too).
const record = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), fc.array(tie('object'), { maxLength: 3 })),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).object;

describe('parseJsonBytes', () => {
  it('equals JSON.parse for arrays of records, with slices small enough to cut almost everywhere', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.integer({ min: 1, max: 64 }), (rows, slice) => {
        const text = JSON.stringify(rows);
        const bytes = Buffer.from(text, 'utf8');
        expect(parseJsonBytes(bytes, slice)).toEqual(JSON.parse(text));
        // The in-place cuts are undone.
        expect(bytes.toString('utf8')).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it('does not cut inside a string that holds the cut pattern', () => {
    const rows = [
      { id: 1, note: '},{"id":2},{' },
      { id: 3, note: '\\"},{\\"' },
      { id: 4, tags: [{ a: 1 }, { b: 2 }] },
    ];
    const text = JSON.stringify(rows);
    for (let slice = 1; slice < text.length; slice++) {
      expect(parseJsonBytes(Buffer.from(text), slice)).toEqual(rows);
    }
  });

  it('reads a large page in slices and gets every record', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: i + 1,
      name: `Company ${i} — ü`,
      status: { id: 1, name: 'Active', _info: { status_href: 'https://x/1' } },
      types: [{ id: 1 }, { id: 2 }],
    }));
    const text = JSON.stringify(rows);
    expect(text.length).toBeGreaterThan(2 * 64 * 1024);
    expect(parseJsonBytes(Buffer.from(text))).toEqual(rows);
  });

  it('parses a large page of flat records slice by slice, never the whole body at once', () => {
    // Nested objects but no array of two or more objects: the first `},{` after each slice is a
    // record boundary, so every guess holds.
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: i + 1,
      name: `Company ${i} — ü`,
      status: { id: 1, name: 'Active', _info: { status_href: 'https://x/1' } },
      types: [{ id: 1 }],
    }));
    const text = JSON.stringify(rows);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonBytes(Buffer.from(text))).toEqual(rows);
      const parsed = parse.mock.calls.map(([t]) => t.length);
      expect(parsed.length).toBeGreaterThan(2);
      expect(Math.max(...parsed)).toBeLessThan(text.length / 2);
    } finally {
      parse.mockRestore();
    }
  });

  it('slices records that hold lists of objects, cutting between records, not inside the lists', () => {
    // `},{` occurs inside every `types` list; the cut must land where the next record opens the way the
    // first one does (`{"id":…,"identifier":`). A record without that opening is simply never a cut.
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: i + 1,
      ...(i % 7 === 3 ? {} : { identifier: `C${i}` }),
      types: [
        { id: 1, name: 'Client' },
        { id: 2, name: 'Partner' },
      ],
      site: { id: i, name: '},{"id":1,"identifier":"x"}' },
    }));
    const text = JSON.stringify(rows);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonBytes(Buffer.from(text))).toEqual(rows);
      const parsed = parse.mock.calls.map(([t]) => t.length);
      expect(parsed.length).toBeGreaterThan(2);
      expect(Math.max(...parsed)).toBeLessThan(text.length / 2);
      // No slice was parsed in vain: together they hold the body once (plus a bracket per cut).
      expect(parsed.reduce((a, b) => a + b, 0)).toBe(text.length + parsed.length - 1);
    } finally {
      parse.mockRestore();
    }
  });

  it('throws SyntaxError for bytes that are not JSON, sliced or not, and leaves them as they were', () => {
    const broken = `[${Array.from({ length: 50 }, (_, i) => `{"id":${i}}`).join(',')},{"id":`;
    const bytes = Buffer.from(broken);
    expect(() => parseJsonBytes(bytes, 8)).toThrow(SyntaxError);
    expect(bytes.toString()).toBe(broken);
    expect(() => parseJsonBytes(Buffer.from('<html>'))).toThrow(SyntaxError);
  });

  it('parses objects and scalars whole', () => {
    expect(parseJsonBytes(Buffer.from('{"count":3}'), 1)).toEqual({ count: 3 });
    expect(parseJsonBytes(Buffer.from(' 42 '))).toBe(42);
  });
});

describe('byte helpers', () => {
  it('decodes ASCII and UTF-8 alike', () => {
    expect(decodeText(Buffer.from('plain'))).toBe('plain');
    expect(decodeText(Buffer.from('Zürich 東京'))).toBe('Zürich 東京');
  });

  it('sees blank bodies and the first significant byte', () => {
    expect(firstSignificantByte(Buffer.from(' \r\n\t'))).toBe(-1);
    expect(firstSignificantByte(Buffer.from(' x'))).toBe(0x78);
    expect(firstSignificantByte(Buffer.from('  \n<html>'))).toBe(0x3c);
    expect(firstSignificantByte(Buffer.alloc(0))).toBe(-1);
  });
});
