import { describe, expect, it } from 'vitest';
import { parseFields, parseOrderBy, QueryError } from './index.ts';

function queryError(f: () => unknown): QueryError {
  try {
    f();
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseOrderBy', () => {
  const rows = [
    { id: 1, name: 'beta', company: { id: 2 } },
    { id: 2, name: 'Alpha', company: { id: 1 } },
    { id: 3, name: 'alpha', company: { id: 2 } },
    { id: 4, company: { id: 3 } },
    { id: 5, name: 'Gamma' },
  ];
  const ids = (text: string) =>
    parseOrderBy(text)
      .sort(rows)
      .map((r) => r.id);

  it('defaults to asc, ignores case in strings, puts missing values first', () => {
    expect(ids('name')).toEqual([4, 2, 3, 1, 5]);
    expect(ids('name ASC')).toEqual([4, 2, 3, 1, 5]);
  });

  it('desc reverses, missing values last; ties broken by id asc', () => {
    expect(ids('name desc')).toEqual([5, 1, 2, 3, 4]);
  });

  it('several keys and nested paths', () => {
    expect(ids('company/id desc, name asc')).toEqual([4, 3, 1, 2, 5]);
    expect(ids('company/id, id desc')).toEqual([5, 2, 3, 1, 4]);
  });

  it('appends the id tie-break only when id is not a key', () => {
    expect(parseOrderBy('name').keys).toEqual([
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ]);
    expect(parseOrderBy('id desc').keys).toEqual([{ field: 'id', direction: 'desc' }]);
  });

  it('compare agrees with sort', () => {
    const ob = parseOrderBy(' name desc ,company/id ');
    expect([...rows].sort(ob.compare)).toEqual(ob.sort(rows));
  });

  it('orders mixed kinds: missing < boolean < number < string', () => {
    const mixed = [{ id: 1, v: 'a' }, { id: 2, v: 3 }, { id: 3, v: true }, { id: 4 }, { id: 5, v: false }];
    expect(
      parseOrderBy('v')
        .sort(mixed)
        .map((r) => r.id),
    ).toEqual([4, 5, 3, 2, 1]);
  });

  it('errors name the bad part', () => {
    expect(queryError(() => parseOrderBy('name ascending')).message).toBe(
      "Invalid orderBy direction 'ascending' for 'name': expected asc or desc.",
    );
    expect(queryError(() => parseOrderBy('name asc,')).message).toBe(
      "Invalid orderBy item '': expected 'field [asc|desc]'.",
    );
    expect(queryError(() => parseOrderBy('name asc id')).message).toContain("'name asc id'");
    expect(queryError(() => parseOrderBy('1name')).message).toContain("'1name'");
    const e = queryError(() => parseOrderBy('nmae', { fields: new Set(['name', 'id']) }));
    expect(e.message).toBe("Unknown field 'nmae' in orderBy.");
    expect(e.param).toBe('orderBy');
  });
});

describe('parseFields', () => {
  const company = {
    id: 250,
    identifier: 'XYZ',
    name: 'XYZ Test Company',
    status: { id: 1, name: 'Active', _info: { status_href: 'https://h/company/companies/statuses/1' } },
    customFields: [
      { id: 1, caption: 'A', value: 'x' },
      { id: 2, caption: 'B' },
    ],
    _info: { lastUpdated: '2019-10-09T18:41:33Z', updatedBy: 'zAdmin' },
  };

  it('keeps top-level and nested paths', () => {
    expect(parseFields('id,name,status/id')(company)).toEqual({
      id: 250,
      name: 'XYZ Test Company',
      status: { id: 1 },
    });
  });

  it('a whole reference keeps its own _info; the entity _info only when asked', () => {
    expect(parseFields('status')(company)).toEqual({ status: company.status });
    expect(parseFields('id')(company)).toEqual({ id: 250 });
    expect(parseFields('id,_info/lastUpdated')(company)).toEqual({
      id: 250,
      _info: { lastUpdated: '2019-10-09T18:41:33Z' },
    });
    expect(parseFields('id', { keepInfo: true })(company)).toEqual({ id: 250, _info: company._info });
  });

  it('a whole path wins over its sub-paths, in either order', () => {
    expect(parseFields('status/id,status')(company)).toEqual({ status: company.status });
    expect(parseFields('status,status/id')(company)).toEqual({ status: company.status });
  });

  it('paths through arrays apply to each element; missing values stay missing', () => {
    expect(parseFields('customFields/value')(company)).toEqual({ customFields: [{ value: 'x' }, {}] });
    expect(parseFields('id,parentCompany/id,name/first')(company)).toEqual({ id: 250 });
  });

  it('does not modify the record', () => {
    const copy = structuredClone(company);
    parseFields('status/id')(company);
    expect(company).toEqual(copy);
  });

  it('errors name the bad part', () => {
    expect(queryError(() => parseFields('id,,name')).message).toBe(
      "Invalid field '' in fields: expected a path like 'status/id'.",
    );
    expect(queryError(() => parseFields('id,status/')).message).toContain("'status/'");
    expect(queryError(() => parseFields('id name')).message).toContain("'id name'");
    const e = queryError(() => parseFields('id,nmae', { fields: (p) => p === 'id' }));
    expect(e.message).toBe("Unknown field 'nmae' in fields.");
    expect(e.param).toBe('fields');
  });
});
