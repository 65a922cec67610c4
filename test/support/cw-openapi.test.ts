import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cwOpenApiPath,
  cwOperation,
  cwProperties,
  cwSchema,
  cwSchemaNames,
  maxLengthOf,
  repoRoot,
  validateCw,
} from './cw-openapi.ts';

const href = 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0';

/** Shaped like a real GET /company/companies/{id} body (connectwise-api.md §9, §11.2). */
const company = {
  id: 19297,
  identifier: 'XYZTestCompany',
  name: 'XYZ Test Company',
  status: { id: 1, name: 'Active', _info: { status_href: `${href}/company/companies/statuses/1` } },
  addressLine1: '1 Main St',
  city: 'Tampa',
  zip: '33601',
  country: { id: 1, name: 'United States', _info: { country_href: `${href}/company/countries/1` } },
  phoneNumber: '8135551234',
  website: 'www.xyz.example',
  territory: { id: 1, name: 'Main', _info: { location_href: `${href}/system/locations/1` } },
  defaultContact: { id: 5, name: 'Fred Smith', _info: { contact_href: `${href}/company/contacts/5` } },
  dateAcquired: '2018-05-17T00:00:00Z',
  annualRevenue: 0,
  numberOfEmployees: null,
  leadFlag: false,
  unsubscribeFlag: false,
  deletedFlag: false,
  mobileGuid: '3b241101-e2bb-4255-8caf-4136c566a962',
  isVendorFlag: false,
  types: [{ id: 1, name: 'Client', _info: { type_href: `${href}/company/companies/types/1` } }],
  site: { id: 10, name: 'Main', _info: { site_href: `${href}/company/companies/19297/sites/10` } },
  integratorTags: [],
  _info: {
    lastUpdated: '2019-10-09T18:41:33Z',
    updatedBy: 'zAdmin',
    dateEntered: '2018-05-17T14:02:11Z',
    enteredBy: 'zAdmin',
  },
  customFields: [
    { id: 3, caption: 'Tier', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0, value: 'Gold' },
    { id: 4, caption: 'Seats', type: 'Number', entryMethod: 'EntryField', numberOfDecimals: 0, value: 12 },
    { id: 5, caption: 'Empty', type: 'Text', entryMethod: 'EntryField', numberOfDecimals: 0 },
  ],
};

describe('cwOpenApiPath', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('defaults to ../shared next to the repo, CW_OPENAPI_PATH overrides', () => {
    expect(cwOpenApiPath()).toMatch(/shared\/connectwise\/manage-2026\.4-get-subset\.openapi\.json$/);
    vi.stubEnv('CW_OPENAPI_PATH', 'elsewhere/spec.json');
    expect(cwOpenApiPath()).toBe(`${repoRoot}/elsewhere/spec.json`);
  });
});

describe('validateCw', () => {
  it('a real-shaped Company validates', () => {
    expect(validateCw('Company', company)).toEqual({ ok: true, errors: [] });
    expect(validateCw('Company[]', [company, { identifier: 'A', name: 'B' }]).ok).toBe(true);
  });

  it('a wrong type fails and says where', () => {
    const r = validateCw('Company', { ...company, id: '19297' });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['/id: must be integer']);
    expect(validateCw('Company', { ...company, status: 1 }).errors).toEqual(['/status: must be object']);
    expect(validateCw('Company', { ...company, id: 2 ** 31 }).errors).toEqual(['/id: must be <= 2147483647']);
    expect(validateCw('Company', { ...company, dateAcquired: '2018-05-17' }).errors[0]).toMatch(
      /^\/dateAcquired: must match format "date-time"/,
    );
  });

  it('an unknown field fails, at the top and inside references', () => {
    expect(validateCw('Company', { ...company, tenantId: 't1' }).errors).toEqual([
      "/: unknown property 'tenantId' (not in CW's Company)",
    ]);
    expect(
      validateCw('Company', { ...company, status: { id: 1, name: 'Active', colour: 'red' } }).errors,
    ).toEqual(["/status: unknown property 'colour' (not in CW's Company)"]);
  });

  it('nullable: only where the spec says so', () => {
    expect(validateCw('Company', { ...company, annualRevenue: null, leadFlag: null }).ok).toBe(true);
    expect(validateCw('Company', { ...company, status: { id: null, name: 'x' } }).ok).toBe(true);
    expect(validateCw('Company', { ...company, name: null }).errors).toEqual(['/name: must be string']);
    expect(validateCw('Company', { ...company, status: null }).ok).toBe(false);
  });

  it('required is the spec’s own list', () => {
    const { name: _omit, ...noName } = company;
    expect(validateCw('Company', noName).errors).toEqual(["/: missing required property 'name'"]);
    expect(validateCw('ServiceNote', {}).ok).toBe(true); // ServiceNote requires nothing
  });

  it('enums (nullable ones accept null) and Max length', () => {
    const addition = {
      product: { id: 7, identifier: 'EMAIL-PROTECT' },
      billCustomer: 'Billable',
      quantity: 12,
    };
    expect(validateCw('Addition', addition).ok).toBe(true);
    expect(validateCw('Addition', { ...addition, billCustomer: null }).ok).toBe(true);
    expect(validateCw('Addition', { ...addition, billCustomer: 'Yes' }).errors).toEqual([
      '/billCustomer: must be one of ["Billable","DoNotBill","NoCharge",null]',
    ]);
    const ticket = { summary: 'x'.repeat(100), company: { id: 1 } };
    expect(validateCw('Ticket', ticket).ok).toBe(true);
    expect(validateCw('Ticket', { ...ticket, summary: 'x'.repeat(101) }).errors).toEqual([
      '/summary: must NOT have more than 100 characters',
    ]);
  });

  it('an unknown schema name is an error, not a pass', () => {
    expect(() => validateCw('Tenant', {})).toThrow(/No schema 'Tenant'/);
  });
});

describe('cwSchema', () => {
  it('inlines refs and closes objects', () => {
    const s = cwSchema('BoardStatus') as {
      properties: Record<string, { properties?: object; additionalProperties?: unknown; type?: unknown }>;
      additionalProperties: unknown;
      required: string[];
    };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['name']);
    expect(s.properties['board']?.properties).toHaveProperty('name');
    expect(s.properties['board']?.additionalProperties).toBe(false);
    expect(JSON.stringify(s)).not.toContain('$ref');
    expect(JSON.stringify(s)).not.toContain('nullable');
  });

  it('open mode keeps the spec’s own additionalProperties', () => {
    expect(cwSchema('Company', { closed: false })).toMatchObject({ additionalProperties: true });
  });

  it('every schema in the spec converts and compiles', () => {
    const names = cwSchemaNames();
    expect(names.length).toBe(217);
    for (const name of names) expect(typeof validateCw(name, {}).ok).toBe('boolean');
  });
});

describe('cwProperties', () => {
  it('gives type, ref, nullable, enum and maxLength per field', () => {
    const ticket = cwProperties('Ticket');
    expect(ticket.get('summary')).toMatchObject({
      type: 'string',
      maxLength: 100,
      required: true,
      nullable: false,
    });
    expect(ticket.get('company')).toMatchObject({ type: 'object', ref: 'CompanyReference', required: true });
    expect(ticket.get('recordType')).toMatchObject({
      type: 'string',
      enum: ['ProjectIssue', 'ProjectTicket', 'ServiceTicket'],
    });
    const agreement = cwProperties('Agreement');
    expect(agreement.get('nextInvoiceDate')).toMatchObject({ type: 'string' });
    expect(agreement.get('nextInvoiceDate')?.format).toBeUndefined();
    expect(agreement.get('billStartDate')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(cwProperties('Company').get('annualRevenue')).toMatchObject({
      type: 'number',
      format: 'double',
      nullable: true,
    });
    expect(cwProperties('Company').get('types')).toMatchObject({
      type: 'array',
      items: 'object',
      ref: 'CompanyTypeReference',
    });
    expect(cwProperties('Company').get('integratorTags')).toMatchObject({ type: 'array', items: 'string' });
  });

  it('parses Max length from descriptions', () => {
    expect(maxLengthOf(' Max length: 156;')).toBe(156);
    expect(maxLengthOf('Gets or sets … zip and/or country. Max length: 12;')).toBe(12);
    expect(maxLengthOf('no limit')).toBeUndefined();
  });
});

describe('cwOperation', () => {
  it('finds a GET path and its query parameters', () => {
    const op = cwOperation('/company/companies/{id}');
    expect(op?.path).toBe('/company/companies/{id}');
    expect(op?.queryParameters.map((p) => p.name)).toEqual([
      'conditions',
      'childConditions',
      'customFieldConditions',
      'orderBy',
      'fields',
      'page',
      'pageSize',
      'pageId',
    ]);
    expect(op?.queryParameters.find((p) => p.name === 'pageSize')).toEqual({
      name: 'pageSize',
      type: 'integer',
      format: 'int32',
      nullable: true,
      required: false,
    });
    expect(op?.headerParameters).toEqual([
      { name: 'clientId', type: 'string', nullable: false, required: true },
    ]);
    expect(op?.response).toEqual({ schema: 'Company', list: false });
  });

  it('matches concrete paths, preferring literal segments', () => {
    expect(cwOperation('/company/companies/250?fields=id')?.path).toBe('/company/companies/{id}');
    expect(cwOperation('/company/companies/count')?.response).toEqual({ schema: 'Count', list: false });
    expect(cwOperation('/finance/agreements/12/additions')).toMatchObject({
      path: '/finance/agreements/{parentId}/additions',
      response: { schema: 'Addition', list: true },
    });
    expect(cwOperation('/finance/agreementrecap')?.path).toBe('/finance/agreementrecap/');
  });

  it('is undefined for paths and methods the GET subset lacks', () => {
    expect(cwOperation('/company/companies', 'post')).toBeUndefined();
    expect(cwOperation('/company/widgets')).toBeUndefined();
    expect(cwOperation('/company/companies/1/2/3/4')).toBeUndefined();
  });
});
