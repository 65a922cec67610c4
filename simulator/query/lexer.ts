import { ConditionsError } from './errors.ts';

export type TokenType =
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'symbol'
  | 'word'
  | 'string'
  | 'datetime'
  | 'raw'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Source text of the token (for strings and datetimes: the decoded content). */
  readonly text: string;
  /** 1-based position of the token's first character. */
  readonly pos: number;
}

const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_/]/;
// A run that starts like a number; validated by the parser so the error can use CW's wording.
const RAW_CHAR = /[A-Za-z0-9_.:+\-/]/;
const SYMBOL_CHAR = /[=!<>]/;

/**
 * Splits a conditions string into tokens. Strings take double or single quotes; inside them a
 * backslash escapes the quote, the other quote or a backslash (any other `\x` stays as written, so
 * `"C:\temp"` means what it says), and a doubled quote (`"a""b"`, `'O''Brien'`) is one quote, the SQL way.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const pos = i + 1;
    if (c === '(') {
      tokens.push({ type: 'lparen', text: c, pos });
      i++;
    } else if (c === ')') {
      tokens.push({ type: 'rparen', text: c, pos });
      i++;
    } else if (c === ',') {
      tokens.push({ type: 'comma', text: c, pos });
      i++;
    } else if (c === '"' || c === "'") {
      let out = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new ConditionsError(`Unterminated string starting at position ${pos}.`, pos);
        const d = text[j]!;
        if (d === '\\' && j + 1 < n && (text[j + 1] === '"' || text[j + 1] === "'" || text[j + 1] === '\\')) {
          out += text[j + 1];
          j += 2;
        } else if (d === c) {
          if (text[j + 1] === c) {
            out += c;
            j += 2;
          } else {
            j++;
            break;
          }
        } else {
          out += d;
          j++;
        }
      }
      tokens.push({ type: 'string', text: out, pos });
      i = j;
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0) throw new ConditionsError(`Unterminated datetime '[' at position ${pos}.`, pos);
      tokens.push({ type: 'datetime', text: text.slice(i + 1, close), pos });
      i = close + 1;
    } else if (SYMBOL_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && SYMBOL_CHAR.test(text[j]!)) j++;
      tokens.push({ type: 'symbol', text: text.slice(i, j), pos });
      i = j;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(text[j]!)) j++;
      tokens.push({ type: 'word', text: text.slice(i, j), pos });
      i = j;
    } else if (RAW_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && RAW_CHAR.test(text[j]!)) j++;
      tokens.push({ type: 'raw', text: text.slice(i, j), pos });
      i = j;
    } else {
      throw new ConditionsError(`Unexpected character '${c}' at position ${pos}.`, pos);
    }
  }
  tokens.push({ type: 'eof', text: '', pos: n + 1 });
  return tokens;
}
