// Response bytes to a JSON value, for the 1000-record pages that bulk reads are made of.
//
// Why not one `JSON.parse(bytes.toString())`: a page of 1,000 companies is ~800 KB, and V8 puts every
// string over 128 KB in large-object space, a fresh mmap per page that is page-faulted in, then unmapped
// by the next GC. Reading 100,000 companies did that 100 times: ~20,000 of the read's ~33,000 page
// faults and most of its system time. We parse a large top-level array in slices of ~64 KiB instead,
// each an ordinary young-generation string, and join the pieces. The bytes are the same; no library
// parses JSON faster than V8's own parser, so the slicing is ours.
//
// Where to cut: after a `}` that is followed by `,{`, found with Buffer#indexOf (native). That pattern
// can also occur inside a string or a nested array, so a cut is only a guess, and the guess checks
// itself: the slice from a true element boundary up to the cut, wrapped in `[`…`]`, parses only if the
// parser was back at the top level, between two elements, at the cut. Inside a string the slice would
// end in an unterminated string; inside a nested value the `]` would close that value and leave the
// outer array open. Parsing is deterministic on the same prefix, so a slice that parses ends at a true
// boundary, and by induction every slice does. If any slice fails, the whole body is parsed at once,
// exactly as before: a wrong guess costs time, never correctness.
import { isAscii } from 'node:buffer';

const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const COMMA = 0x2c; // ,
const COLON = 0x3a; // :
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b; // {
const DEFAULT_SLICE_BYTES = 64 * 1024;

/** UTF-8 bytes to a string. Pure ASCII (CW's JSON nearly always is) takes the cheaper Latin-1 copy. */
export function decodeText(bytes: Buffer, ascii = isAscii(bytes)): string {
  return ascii ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The first byte that is not JSON whitespace, or -1 when the bytes are empty or blank. */
export function firstSignificantByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return -1;
}

/**
 * `JSON.parse` of UTF-8 bytes. Throws JSON.parse's SyntaxError when the bytes are not JSON. The bytes
 * are briefly rewritten in place (a `,` becomes `]` then `[` at each cut) and restored before return.
 * `sliceBytes` exists for tests, which use tiny slices to make many cuts.
 */
export function parseJsonBytes(bytes: Buffer, sliceBytes = DEFAULT_SLICE_BYTES): unknown {
  const ascii = isAscii(bytes);
  if (bytes[0] === OPEN_BRACKET && bytes.length > 2 * sliceBytes) {
    const items = parseArrayInSlices(bytes, ascii, sliceBytes);
    if (items !== undefined) return items;
  }
  return JSON.parse(decodeText(bytes, ascii));
}

/** The array's items, or undefined when a cut turned out not to be an element boundary. */
function parseArrayInSlices(bytes: Buffer, ascii: boolean, sliceBytes: number): unknown[] | undefined {
  const nextBoundary = boundaryFinder(bytes);
  const cuts: number[] = [];
  const items: unknown[] = [];
  try {
    let start = 0;
    for (;;) {
      const found = start + sliceBytes < bytes.length ? nextBoundary(start + sliceBytes) : -1;
      const cut = found === -1 ? -1 : found + 1; // the comma
      if (cut !== -1) {
        cuts.push(cut);
        bytes[cut] = CLOSE_BRACKET;
      }
      const end = cut === -1 ? bytes.length : cut + 1;
      const text = ascii ? bytes.toString('latin1', start, end) : bytes.toString('utf8', start, end);
      let slice: unknown;
      try {
        slice = JSON.parse(text);
      } catch {
        return undefined;
      }
      // Array.prototype.push(...slice) would put up to 64 KiB of arguments on the stack.
      const values = slice as unknown[];
      for (let i = 0; i < values.length; i++) items.push(values[i]);
      if (cut === -1) return items;
      bytes[cut] = OPEN_BRACKET;
      start = cut;
    }
  } finally {
    for (const cut of cuts) bytes[cut] = COMMA;
  }
}

/** Bytes a scalar value (number, true, false, null) is made of. */
const SCALAR = new Set(Buffer.from('0123456789+-.eEtrufalsn'));
const MAX_SCALAR = 32;

function skipScalar(bytes: Buffer, at: number): number {
  const limit = Math.min(bytes.length, at + MAX_SCALAR);
  let i = at;
  while (i < limit && SCALAR.has(bytes[i]!)) i++;
  return i;
}

/** Just past the `":` of the key whose opening quote is at `at`, or -1. Keys with escapes are not learned. */
function keyEnd(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) return -1;
  const close = bytes.indexOf(QUOTE, at + 1);
  if (close === -1 || bytes[close + 1] !== COLON || bytes.subarray(at, close).includes(BACKSLASH)) return -1;
  return close + 2;
}

/**
 * Where to look for the next cut: a `},` followed by what opens the array's first record. Records of
 * one CW list start alike (`{"id":250,"identifier":…`), while `},{` also occurs between the objects of
 * a nested list (`types: [{"id":1,"name":…},{…}]`), where a cut would fail and cost a whole-body parse.
 * So the opening is learned from the first record: its first key, a scalar value, its second key. This
 * only picks better guesses; each cut is still checked by the parse. Without a learnable opening, or
 * when no later record matches it, any `},{` is tried.
 */
function boundaryFinder(bytes: Buffer): (from: number) => number {
  const anyBoundary = (from: number) => bytes.indexOf('},{', from);
  if (bytes[1] !== OPEN_BRACE) return anyBoundary;
  const firstEnd = keyEnd(bytes, 2);
  if (firstEnd === -1) return anyBoundary;
  const comma = skipScalar(bytes, firstEnd);
  const secondEnd = bytes[comma] === COMMA ? keyEnd(bytes, comma + 1) : -1;
  if (secondEnd === -1) return anyBoundary;
  // Copies: the cuts rewrite bytes in place. `},{"id":` and `,"identifier":`, say.
  const head = Buffer.concat([Buffer.from('},'), bytes.subarray(1, firstEnd)]);
  const second = Buffer.from(bytes.subarray(comma, secondEnd));
  return (from) => {
    for (let at = bytes.indexOf(head, from); at !== -1; at = bytes.indexOf(head, at + 1)) {
      const valueEnd = skipScalar(bytes, at + head.length);
      const end = Math.min(bytes.length, valueEnd + second.length);
      if (bytes.compare(second, 0, second.length, valueEnd, end) === 0) return at;
    }
    return anyBoundary(from);
  };
}
