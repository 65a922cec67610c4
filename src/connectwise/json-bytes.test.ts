import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, firstSignificantByte, isBlank, parseJsonBytes } from './json-bytes.ts';

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
    expect(isBlank(Buffer.from(' \r\n\t'))).toBe(true);
    expect(isBlank(Buffer.from(' x'))).toBe(false);
    expect(firstSignificantByte(Buffer.from('  \n<html>'))).toBe(0x3c);
    expect(firstSignificantByte(Buffer.alloc(0))).toBe(-1);
  });
});
