import { describe, expect, it } from 'vitest';
import {
  type Condition,
  ConditionsError,
  compileConditions,
  evaluate,
  LITERAL_HINT,
  MAX_NESTING,
  parseConditions,
  printConditions,
} from './index.ts';

const cmp = (field: string, op: string, value: unknown, negated = false) => ({
  type: 'compare',
  field,
  op,
  negated,
  value,
});
const str = (value: string) => ({ kind: 'string', value });
const num = (value: number) => ({ kind: 'number', value });

function errorOf(text: string, fields?: Parameters<typeof parseConditions>[1]): ConditionsError {
  try {
    parseConditions(text, fields);
  } catch (e) {
    if (e instanceof ConditionsError) return e;
    throw e;
  }
  throw new Error(`'${text}' parsed`);
}

describe('parseConditions: operators', () => {
  it.each([
    ['=', 'board/id = 123'],
    ['!=', 'board/id != 123'],
    ['<', 'board/id < 123'],
    ['<=', 'board/id <= 123'],
    ['>', 'board/id > 123'],
    ['>=', 'board/id >= 123'],
  ])('%s', (op, text) => {
    expect(parseConditions(text)).toEqual(cmp('board/id', op, num(123)));
  });

  it('symbols need no spaces around them', () => {
    expect(parseConditions('board/name="Integration"')).toEqual(cmp('board/name', '=', str('Integration')));
    expect(parseConditions('id>=-5')).toEqual(cmp('id', '>=', num(-5)));
  });

  it('contains, like and their not forms, any case', () => {
    expect(parseConditions('summary CONTAINS "x"')).toEqual(cmp('summary', 'contains', str('x')));
    expect(parseConditions('summary not contains "Low Priority"')).toEqual(
      cmp('summary', 'contains', str('Low Priority'), true),
    );
    expect(parseConditions('name Like "A%"')).toEqual(cmp('name', 'like', str('A%')));
    expect(parseConditions('name NOT LIKE "A%"')).toEqual(cmp('name', 'like', str('A%'), true));
  });

  it('in and not in with lists of every literal kind', () => {
    expect(parseConditions('board/id in (3, 2, 4)')).toEqual({
      type: 'in',
      field: 'board/id',
      negated: false,
      values: [num(3), num(2), num(4)],
    });
    expect(parseConditions(`id not in ("John", 'Ben', 1.5, true, null, [2020-01-01T00:00:00Z])`)).toEqual({
      type: 'in',
      field: 'id',
      negated: true,
      values: [
        str('John'),
        str('Ben'),
        num(1.5),
        { kind: 'boolean', value: true },
        { kind: 'null' },
        { kind: 'datetime', value: '2020-01-01T00:00:00Z' },
      ],
    });
  });
});

describe('parseConditions: literals', () => {
  it('strings in double or single quotes, with backslash and doubled-quote escapes', () => {
    const value = (text: string) => (parseConditions(`name = ${text}`) as { value: unknown }).value;
    expect(value(`"O'Brien"`)).toEqual(str("O'Brien"));
    expect(value(`'say "hi"'`)).toEqual(str('say "hi"'));
    expect(value(`"a\\"b"`)).toEqual(str('a"b'));
    expect(value(`'a\\'b'`)).toEqual(str("a'b"));
    expect(value(`'O''Brien'`)).toEqual(str("O'Brien"));
    expect(value(`"a""b"`)).toEqual(str('a"b'));
    expect(value(`"back\\\\slash"`)).toEqual(str('back\\slash'));
    expect(value(`"C:\\temp"`)).toEqual(str('C:\\temp')); // unknown escapes stay as written
    expect(value(`""`)).toEqual(str(''));
    expect(value(`"a and b or (c)"`)).toEqual(str('a and b or (c)'));
  });

  it('numbers: digits, optional decimal point, optional minus', () => {
    const value = (text: string) => (parseConditions(`n = ${text}`) as { value: unknown }).value;
    expect(value('0')).toEqual(num(0));
    expect(value('-12.75')).toEqual(num(-12.75));
    expect(value('3.')).toEqual(num(3));
    expect(value('.5')).toEqual(num(0.5));
    expect(Object.is((value('-0') as { value: number }).value, 0)).toBe(true);
  });

  it('booleans and null in any case', () => {
    expect(parseConditions('closedFlag = True')).toEqual(
      cmp('closedFlag', '=', { kind: 'boolean', value: true }),
    );
    expect(parseConditions('closedFlag = FALSE')).toEqual(
      cmp('closedFlag', '=', { kind: 'boolean', value: false }),
    );
    expect(parseConditions('value != NULL')).toEqual(cmp('value', '!=', { kind: 'null' }));
  });

  it('datetimes in brackets, kept as written', () => {
    expect(parseConditions('lastUpdated > [2016-08-20T18:04:26Z]')).toEqual(
      cmp('lastUpdated', '>', { kind: 'datetime', value: '2016-08-20T18:04:26Z' }),
    );
    expect(parseConditions('d = [2016-08-20]')).toEqual(
      cmp('d', '=', { kind: 'datetime', value: '2016-08-20' }),
    );
    expect(parseConditions('d = [2016-08-20T18:04:26.5+02:00]')).toEqual(
      cmp('d', '=', { kind: 'datetime', value: '2016-08-20T18:04:26.5+02:00' }),
    );
  });

  it('nested field paths with slashes and underscores', () => {
    expect(parseConditions('_info/lastUpdated > [2020-01-01T00:00:00Z]')).toMatchObject({
      field: '_info/lastUpdated',
    });
    expect(parseConditions('company/status/name = "Active"')).toMatchObject({ field: 'company/status/name' });
  });
});

describe('parseConditions: and / or', () => {
  const a = cmp('a', '=', num(1));
  const b = cmp('b', '=', num(2));
  const c = cmp('c', '=', num(3));

  it('and binds tighter than or', () => {
    expect(parseConditions('a = 1 or b = 2 and c = 3')).toEqual({
      type: 'or',
      items: [a, { type: 'and', items: [b, c] }],
    });
    expect(parseConditions('a = 1 AND b = 2 Or c = 3')).toEqual({
      type: 'or',
      items: [{ type: 'and', items: [a, b] }, c],
    });
  });

  it('chains flatten, parentheses keep their group', () => {
    expect(parseConditions('a = 1 and b = 2 and c = 3')).toEqual({ type: 'and', items: [a, b, c] });
    expect(parseConditions('(a = 1 and b = 2) and c = 3')).toEqual({
      type: 'and',
      items: [{ type: 'and', items: [a, b] }, c],
    });
    expect(parseConditions('a = 1 and (b = 2 or c = 3)')).toEqual({
      type: 'and',
      items: [a, { type: 'or', items: [b, c] }],
    });
    expect(parseConditions('((a = 1))')).toEqual(a);
  });

  it("CW's own example parses and prints canonically", () => {
    const text =
      '(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND  summary != "Some Summary"';
    const c = parseConditions(text);
    expect(printConditions(c)).toBe(
      '(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" and summary != "Some Summary"',
    );
    expect(parseConditions(printConditions(c))).toEqual(c);
  });
});

describe('parseConditions: errors', () => {
  it("a numeric literal for a boolean field gives CW's exact message", () => {
    const fields = new Map([['closedFlag', 'boolean' as const]]);
    expect(errorOf('closedFlag = 1', { fields }).message).toBe(
      'Expected a boolean value, not a numeric. String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean values should be indicated with the keywords true or false; null values should be indicated by the keyword null.',
    );
  });

  it('other kind mismatches adapt the first sentence', () => {
    const fields = new Map([
      ['name', 'string' as const],
      ['lastUpdated', 'datetime' as const],
      ['id', 'number' as const],
    ]);
    expect(errorOf('name = 5', { fields }).message).toBe(
      `Expected a string value, not a numeric. ${LITERAL_HINT}`,
    );
    expect(errorOf('lastUpdated > "2020-01-01"', { fields }).message).toBe(
      `Expected a datetime value, not a string. ${LITERAL_HINT}`,
    );
    expect(errorOf('id in (1, "2")', { fields }).message).toBe(
      `Expected a numeric value, not a string. ${LITERAL_HINT}`,
    );
    expect(() => parseConditions('name = null and id != null', { fields })).not.toThrow();
  });

  it('bad literals name what was found and carry the hint', () => {
    expect(errorOf('name = Fred').message).toBe(`Expected a value, not 'Fred'. ${LITERAL_HINT}`);
    expect(errorOf('id = 12a').message).toBe(`Expected a value, not '12a'. ${LITERAL_HINT}`);
    expect(errorOf('id = 1.2.3').message).toBe(`Expected a value, not '1.2.3'. ${LITERAL_HINT}`);
    expect(errorOf('d > [yesterday]').message).toBe(
      `Expected a datetime value, not '[yesterday]'. ${LITERAL_HINT}`,
    );
    expect(errorOf('d > [2021-02-30T00:00:00Z]').message).toContain("not '[2021-02-30T00:00:00Z]'");
    expect(errorOf('summary contains 5').message).toBe(
      `Expected a string value, not a numeric. ${LITERAL_HINT}`,
    );
    expect(errorOf('name like null').message).toContain('Expected a string value, not a null.');
    expect(errorOf('id =').message).toContain("expected a value after '='");
  });

  it('unknown operators', () => {
    expect(errorOf('id == 1').message).toMatch(/^Unknown operator '==' after 'id'/);
    expect(errorOf('id <> 1').message).toMatch(/^Unknown operator '<>' after 'id'/);
    expect(errorOf('name equals "x"').message).toMatch(/^Unknown operator 'equals' after 'name'/);
    expect(errorOf('id not = 1').message).toMatch(/^Unknown operator 'not =' after 'id'/);
    expect(errorOf('name').message).toMatch(/expected an operator after 'name'/);
  });

  it('unbalanced parentheses', () => {
    expect(errorOf('(a = 1 and b = 2').message).toBe(
      "Unbalanced parentheses: '(' at position 1 is never closed.",
    );
    expect(errorOf('a = 1)').message).toBe("Unbalanced parentheses: ')' at position 6 has no matching '('.");
    expect(errorOf('id in (1, 2').message).toBe("Unbalanced parentheses: '(' at position 7 is never closed.");
    expect(errorOf(')').message).toMatch(/^Unexpected '\)'/);
  });

  it('unknown fields are named, whether the caller gives a set, a map or a predicate', () => {
    expect(errorOf('nmae = "x"', { fields: new Set(['name']) }).message).toBe(
      "Unknown field 'nmae' in conditions.",
    );
    expect(errorOf('a = 1 and board/nme = "x"', { fields: (p) => p === 'a' }).message).toBe(
      "Unknown field 'board/nme' in conditions.",
    );
    expect(errorOf('x = 1', { fields: new Map([['y', undefined]]) }).message).toContain("'x'");
  });

  it('structure errors', () => {
    expect(errorOf('').message).toBe('Conditions are empty.');
    expect(errorOf('   ').message).toBe('Conditions are empty.');
    expect(errorOf('a = 1 b = 2').message).toMatch(/^Expected 'and', 'or' or the end/);
    expect(errorOf('a = 1 and').message).toMatch(/expected a field name/);
    expect(errorOf('a = "x').message).toBe('Unterminated string starting at position 5.');
    expect(errorOf('a = [2020').message).toMatch(/^Unterminated datetime/);
    expect(errorOf('a = 1 ; drop').message).toMatch(/^Unexpected character ';'/);
    expect(errorOf('company/ = 1').message).toMatch(/^Invalid field name 'company\/'/);
    expect(errorOf('id in ()').message).toMatch(/Expected a value/);
  });

  it('nesting is bounded so a hostile filter cannot overflow the stack', () => {
    const ok = `${'('.repeat(MAX_NESTING)}a = 1${')'.repeat(MAX_NESTING)}`;
    expect(() => parseConditions(ok)).not.toThrow();
    const deep = `${'('.repeat(100_000)}a = 1${')'.repeat(100_000)}`;
    expect(errorOf(deep).message).toMatch(/nested more than/);
  });

  it('errors carry the parameter name and a position', () => {
    const e = errorOf('a = 1 b');
    expect(e.param).toBe('conditions');
    expect(e.position).toBe(7);
  });
});

describe('evaluate', () => {
  const ticket = {
    id: 7,
    summary: 'Phishing reported by Bob',
    closedFlag: false,
    budgetHours: 1.5,
    board: { id: 3, name: 'Integration' },
    company: { id: 250, identifier: 'XYZ' },
    _info: { lastUpdated: '2019-10-09T18:41:33Z' },
    externalXRef: 'case:1',
    emptyText: '',
  };
  const holds = (text: string, record: object = ticket) => evaluate(parseConditions(text), record);

  it('= on strings ignores case (SQL Server default collation)', () => {
    expect(holds('board/name = "integration"')).toBe(true);
    expect(holds('board/name = "INTEGRATION "')).toBe(false);
    expect(holds('board/name != "other"')).toBe(true);
  });

  it('numbers, booleans and ordering', () => {
    expect(holds('company/id = 250')).toBe(true);
    expect(holds('budgetHours > 1 and budgetHours < 2 and budgetHours >= 1.5 and budgetHours <= 1.5')).toBe(
      true,
    );
    expect(holds('closedFlag = false')).toBe(true);
    expect(holds('closedFlag = true')).toBe(false);
    expect(holds('closedFlag < true')).toBe(true);
    expect(holds('summary > "phish"')).toBe(true);
    expect(holds('summary < "PHISH"')).toBe(false);
  });

  it('contains and like ignore case; like takes % and * and _', () => {
    expect(holds('summary contains "BOB"')).toBe(true);
    expect(holds('summary not contains "alice"')).toBe(true);
    expect(holds('summary like "phish%"')).toBe(true);
    expect(holds('summary like "PHISH*BOB"')).toBe(true);
    expect(holds('summary like "phish"')).toBe(false);
    expect(holds('summary like "_hishing%"')).toBe(true);
    expect(holds('summary not like "%alice%"')).toBe(true);
    expect(holds('externalXRef like "case:_"')).toBe(true);
    expect(holds('emptyText like "%"')).toBe(true);
    expect(holds('emptyText contains ""')).toBe(true);
  });

  it('like: [x] escapes a wildcard, other regex characters are literal', () => {
    expect(holds('name like "100[%]"', { name: '100%' })).toBe(true);
    expect(holds('name like "100[%]"', { name: '1000' })).toBe(false);
    expect(holds('name like "a[[]b"', { name: 'a[b' })).toBe(true);
    expect(holds('name like "a.c"', { name: 'abc' })).toBe(false);
    expect(holds('name like "(a)+"', { name: '(a)+' })).toBe(true);
    expect(holds('name like "[a-c]x"', { name: 'bx' })).toBe(true);
    expect(holds('name like "[^a-c]x"', { name: 'bx' })).toBe(false);
    expect(holds('name like "[z-a]"', { name: 'q' })).toBe(false);
  });

  it('datetimes compare by instant', () => {
    expect(holds('_info/lastUpdated > [2019-10-09T18:41:32Z]')).toBe(true);
    expect(holds('_info/lastUpdated = [2019-10-09T20:41:33+02:00]')).toBe(true);
    expect(holds('_info/lastUpdated >= [2019-10-10]')).toBe(false);
    expect(holds('_info/lastUpdated in ([2019-10-09T18:41:33.000Z])')).toBe(true);
    expect(holds('summary > [2019-01-01T00:00:00Z]')).toBe(false); // not a datetime value
  });

  it('null: = null and != null test presence; everything else on a missing value is false', () => {
    expect(holds('closedDate = null')).toBe(true);
    expect(holds('closedDate != null')).toBe(false);
    expect(holds('board != null and board/id != null')).toBe(true);
    expect(holds('closedDate != "x"')).toBe(false);
    expect(holds('closedDate not contains "x"')).toBe(false);
    expect(holds('closedDate not like "x"')).toBe(false);
    expect(holds('closedDate not in (1, 2)')).toBe(false);
    expect(holds('missing/deep/path = null')).toBe(true);
    expect(holds('budgetHours < null')).toBe(false);
    expect(holds('x = null', { x: null })).toBe(true);
  });

  it('a value of another kind than the literal never matches', () => {
    expect(holds('company/id = "250"')).toBe(false);
    expect(holds('company/id != "250"')).toBe(false);
    expect(holds('board = 3')).toBe(false);
    expect(holds('company/identifier in (1, 2)')).toBe(false);
  });

  it('in / not in, with SQL null rules', () => {
    expect(holds('board/id in (1, 3)')).toBe(true);
    expect(holds('board/name in ("INTEGRATION", "x")')).toBe(true);
    expect(holds('board/id not in (1, 2)')).toBe(true);
    expect(holds('board/id not in (1, 3)')).toBe(false);
    expect(holds('board/id in (null, 3)')).toBe(true);
    expect(holds('board/id not in (null, 1)')).toBe(false);
    expect(holds('closedDate in (null)')).toBe(false);
    expect(holds('board/id not in (1, "x")')).toBe(false);
    expect(holds('closedFlag in (false)')).toBe(true);
  });

  it('precedence decides the result', () => {
    expect(holds('company/id = 1 and board/id = 3 or closedFlag = false')).toBe(true);
    expect(holds('company/id = 1 and (board/id = 3 or closedFlag = false)')).toBe(false);
  });

  it('inherited members are not fields', () => {
    expect(holds('constructor = null', {})).toBe(true);
    expect(holds('toString != null', {})).toBe(false);
  });

  it('a compiled predicate filters many records', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({
      id: i,
      name: `Company ${i}`,
      active: i % 2 === 0,
    }));
    const keep = compileConditions(parseConditions('active = true and name like "%5" and id >= 100'));
    expect(records.filter(keep).map((r) => r.id)).toEqual(
      records.filter((r) => r.active && r.id % 10 === 5 && r.id >= 100).map((r) => r.id),
    );
  });
});

describe('printConditions', () => {
  it('escapes quotes and backslashes, writes numbers without exponents', () => {
    const c: Condition = {
      type: 'and',
      items: [
        {
          type: 'compare',
          field: 'a',
          op: '=',
          negated: false,
          value: { kind: 'string', value: 'x"y\\z\'' },
        },
        { type: 'compare', field: 'b', op: '<', negated: false, value: { kind: 'number', value: 1e21 } },
        { type: 'compare', field: 'c', op: '>', negated: false, value: { kind: 'number', value: -1.5e-7 } },
      ],
    };
    expect(printConditions(c)).toBe('a = "x\\"y\\\\z\'" and b < 1000000000000000000000 and c > -0.00000015');
    expect(parseConditions(printConditions(c))).toEqual(c);
  });

  it('parenthesises only where needed', () => {
    expect(printConditions(parseConditions('(a=1 or b=2) and (c=3 and d=4) or e=5'))).toBe(
      '(a = 1 or b = 2) and (c = 3 and d = 4) or e = 5',
    );
  });
});
