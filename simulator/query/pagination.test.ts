import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forwardOnly, forwardOnlyLinkHeader, linkHeader, paginate, QueryError } from './index.ts';

describe('paginate', () => {
  it('defaults: page 1, pageSize 25', () => {
    expect(paginate(60)).toEqual({ page: 1, pageSize: 25, lastPage: 3, start: 0, end: 25 });
    expect(paginate(60, '', '')).toEqual(paginate(60));
  });

  it('takes raw query strings', () => {
    expect(paginate(60, '3', '25')).toEqual({ page: 3, pageSize: 25, lastPage: 3, start: 50, end: 60 });
  });

  it('clamps pageSize to 1000', () => {
    expect(paginate(5000, 1, 5000)).toMatchObject({ pageSize: 1000, lastPage: 5, end: 1000 });
  });

  it('an empty result has one empty page; pages past the end are empty', () => {
    expect(paginate(0)).toEqual({ page: 1, pageSize: 25, lastPage: 1, start: 0, end: 0 });
    expect(paginate(10, 4, 5)).toMatchObject({ start: 10, end: 10, lastPage: 2 });
  });

  it.each([
    ['page', 0, undefined],
    ['page', '-1', undefined],
    ['page', 'x', undefined],
    ['pageSize', undefined, 0],
    ['pageSize', undefined, '1.5'],
    ['pageSize', undefined, 2.5],
  ])('refuses %s=%s%s', (param, page, size) => {
    const e = (() => {
      try {
        paginate(10, page, size);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).param).toBe(param);
  });

  it('pages partition the records', () => {
    fc.assert(
      fc.property(fc.nat(3000), fc.integer({ min: 1, max: 1200 }), (total, size) => {
        const first = paginate(total, 1, size);
        const seen: number[] = [];
        for (let p = 1; p <= first.lastPage; p++) {
          const page = paginate(total, p, size);
          for (let i = page.start; i < page.end; i++) seen.push(i);
          expect(page.end - page.start).toBeLessThanOrEqual(first.pageSize);
        }
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(
          paginate(total, first.lastPage + 1, size).end - paginate(total, first.lastPage + 1, size).start,
        ).toBe(0);
      }),
    );
  });
});

describe('linkHeader', () => {
  const base = 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies';

  it("matches CW's documented example on page 1: next and last only", () => {
    expect(linkHeader(base, new URLSearchParams('pageSize=50'), 1, 50, 200)).toBe(
      `<${base}?pageSize=50&page=2>; rel="next", <${base}?pageSize=50&page=4>; rel="last"`,
    );
  });

  it('middle page: first, prev, next, last; keeps conditions and puts page last', () => {
    const q = new URLSearchParams();
    q.set('conditions', 'name like "A%" and id > 5');
    q.set('page', '2');
    q.set('orderBy', 'name');
    const h = linkHeader(base, q, 2, 25, 100);
    const c = encodeURIComponent('name like "A%" and id > 5');
    expect(h).toBe(
      [
        `<${base}?conditions=${c}&orderBy=name&pageSize=25&page=1>; rel="first"`,
        `<${base}?conditions=${c}&orderBy=name&pageSize=25&page=1>; rel="prev"`,
        `<${base}?conditions=${c}&orderBy=name&pageSize=25&page=3>; rel="next"`,
        `<${base}?conditions=${c}&orderBy=name&pageSize=25&page=4>; rel="last"`,
      ].join(', '),
    );
    // the regex clients use still finds every page number
    expect([...h.matchAll(/page=(\d+)>; rel="(.*?)"/g)].map((m) => `${m[2]}=${m[1]}`)).toEqual([
      'first=1',
      'prev=1',
      'next=3',
      'last=4',
    ]);
  });

  it('last page: first and prev only; a single page: nothing', () => {
    expect(linkHeader(base, {}, 4, 25, 100)).toBe(
      `<${base}?pageSize=25&page=1>; rel="first", <${base}?pageSize=25&page=3>; rel="prev"`,
    );
    expect(linkHeader(base, {}, 1, 25, 10)).toBe('');
  });

  it('encodes quotes, wildcards and brackets; keeps the pageSize position; accepts a plain record', () => {
    const h = linkHeader(
      base,
      { pageSize: '10', conditions: "name like 'A*' and d > [2020-01-01]" },
      1,
      10,
      20,
    );
    expect(h).toBe(
      `<${base}?pageSize=10&conditions=name%20like%20%27A%2A%27%20and%20d%20%3E%20%5B2020-01-01%5D&page=2>; rel="next", ` +
        `<${base}?pageSize=10&conditions=name%20like%20%27A%2A%27%20and%20d%20%3E%20%5B2020-01-01%5D&page=2>; rel="last"`,
    );
  });
});

describe('forwardOnly', () => {
  const records = [2, 3, 5, 8, 13, 21].map((id) => ({ id }));

  it('returns records after pageId, in id order, and the next pageId', () => {
    expect(forwardOnly(records, undefined, 4)).toEqual({
      records: records.slice(0, 4),
      pageSize: 4,
      nextPageId: 8,
    });
    expect(forwardOnly(records, '8', 4)).toEqual({
      records: records.slice(4),
      pageSize: 4,
      nextPageId: undefined,
    });
    expect(forwardOnly(records, 4, 2)).toEqual({
      records: [{ id: 5 }, { id: 8 }],
      pageSize: 2,
      nextPageId: 8,
    });
    expect(forwardOnly(records, 21, 2)).toEqual({ records: [], pageSize: 2, nextPageId: undefined });
  });

  it('a full last page has no next link', () => {
    expect(forwardOnly(records, 8, 2)).toEqual({
      records: [{ id: 13 }, { id: 21 }],
      pageSize: 2,
      nextPageId: undefined,
    });
  });

  it('link header: rel="next" with pageId last, or empty on the last page', () => {
    const base = 'https://h/v4_6_release/apis/3.0/service/tickets';
    const q = new URLSearchParams('conditions=closedFlag%3Dfalse&pageSize=2&pageId=3&page=9');
    expect(forwardOnlyLinkHeader(base, q, 8, 2)).toBe(
      `<${base}?conditions=closedFlag%3Dfalse&pageSize=2&pageId=8>; rel="next"`,
    );
    expect(forwardOnlyLinkHeader(base, q, undefined, 2)).toBe('');
  });

  it('defaults and clamps pageSize like navigable paging', () => {
    expect(forwardOnly(records).pageSize).toBe(25);
    expect(forwardOnly(records, 0, 5000).pageSize).toBe(1000);
  });

  it('refuses a bad pageId', () => {
    expect(() => forwardOnly(records, 'abc', 2)).toThrow(QueryError);
    expect(() => forwardOnly(records, -1, 2)).toThrow(/pageId/);
  });

  it('following the links visits every record once', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 })),
        fc.integer({ min: 1, max: 50 }),
        (raw, size) => {
          const sorted = [...raw].sort((a, b) => a - b).map((id) => ({ id }));
          const seen: number[] = [];
          let pageId: number | undefined;
          for (let guard = 0; guard <= sorted.length + 1; guard++) {
            const page = forwardOnly(sorted, pageId, size);
            seen.push(...page.records.map((r) => r.id));
            if (page.nextPageId === undefined) break;
            pageId = page.nextPageId;
          }
          expect(seen).toEqual(sorted.map((r) => r.id));
        },
      ),
    );
  });
});
