import { describe, expect, it } from 'vitest';
import { encodeQuery } from './api.ts';
import { linkFor } from './paginate.ts';

describe('linkFor', () => {
  it('finds rel links in a CW Link header', () => {
    const header =
      '<https://x/v4_6_release/apis/3.0/company/companies?pageSize=50&page=2>; rel="next", <https://x/v4_6_release/apis/3.0/company/companies?pageSize=50&page=4>; rel="last"';
    expect(linkFor(header, 'next')).toContain('page=2');
    expect(linkFor(header, 'last')).toContain('page=4');
    expect(linkFor(header, 'prev')).toBeUndefined();
    expect(linkFor(undefined, 'next')).toBeUndefined();
    expect(linkFor('', 'next')).toBeUndefined();
  });
});

describe('encodeQuery', () => {
  it('escapes the characters CW documents', () => {
    expect(encodeQuery({ conditions: 'name like "a+b&c%*" and x = \'y\'', page: 2, skip: undefined })).toBe(
      'conditions=name%20like%20%22a%2Bb%26c%25%2A%22%20and%20x%20%3D%20%27y%27&page=2',
    );
  });
});
