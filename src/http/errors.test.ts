import { describe, expect, it } from 'vitest';
import { validationIssues } from './errors.ts';

describe('validationIssues', () => {
  it('names the field from ajv and zod reports', () => {
    expect(validationIssues('body', [{ instancePath: '', params: { missingProperty: 'site' } }])).toEqual([
      { field: 'body.site', message: 'is required' },
    ]);
    expect(
      validationIssues('querystring', [{ instancePath: '/limit', message: 'expected at most 500' }]),
    ).toEqual([{ field: 'query.limit', message: 'expected at most 500' }]);
    expect(
      validationIssues('body', [{ instancePath: '/items/3/sku', message: 'expected a string' }]),
    ).toEqual([{ field: 'body.items.3.sku', message: 'expected a string' }]);
    expect(
      validationIssues('body', [
        { instancePath: '/', keyword: 'unrecognized_keys', params: { keys: ['a', 'b'] } },
      ]),
    ).toEqual([
      { field: 'body.a', message: 'is not an accepted field' },
      { field: 'body.b', message: 'is not an accepted field' },
    ]);
  });
});
