// Literal helpers shared by the parser, the printer and the evaluator.

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date or datetime, or NaN. A value without a zone is
 * read as UTC: CW documents all API datetimes as UTC (`yyyy-MM-ddTHH:mm:ssZ`).
 */
export function parseDateTime(text: string): number {
  // Fast path for the canonical form every CW record uses.
  if (text.length === 20 && text.charCodeAt(19) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && isCanonicalValid(text, ms)) return ms;
    return Number.NaN;
  }
  const m = DATETIME.exec(text);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return utc - offsetMin * 60_000;
}

// Date.parse rolls 2021-02-30 over to March; a record holding that is not a valid datetime.
function isCanonicalValid(text: string, ms: number): boolean {
  const d = new Date(ms);
  return d.getUTCDate() === Number(text.slice(8, 10)) && d.getUTCMonth() + 1 === Number(text.slice(5, 7));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `[-]digits[.digits]`, CW's number form; `5.` and `.5` are accepted too. */
export const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A finite number in plain decimal notation (CW numbers have no exponent), exact enough that
 * `Number(formatNumber(n)) === n`.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} cannot be written as a CW number`);
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // Expand the exponent: shortest round-trip digits, decimal point moved.
  const negative = s[0] === '-';
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/**
 * A `like` pattern as a RegExp over the lower-cased value. `%` and `*` match any run (CW documents
 * `*`, its examples use `%`), `_` one character, `[…]` a SQL Server character set (so `[[]`, `[%]`
 * and `[_]` are literal characters, the escape the CW guide documents for `[`).
 */
export function likeToRegExp(pattern: string): RegExp {
  const p = pattern.toLowerCase();
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '%' || c === '*') re += '[^]*';
    else if (c === '_') re += '[^]';
    else if (c === '[') {
      const close = p.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = p.slice(i + 1, close);
      const negate = body.length > 1 && body[0] === '^';
      if (negate) body = body.slice(1);
      re += characterSet(body, negate);
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'u');
}

function characterSet(body: string, negate: boolean): string {
  const set = `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
  try {
    new RegExp(set, 'u');
    return set;
  } catch {
    // A reversed range such as [z-a] matches nothing in SQL Server; it is not an error there.
    return '(?!)';
  }
}
