import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from './index.ts';
import { cw, type Json } from './testing.ts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', today: '2026-03-10', quiet: true });
});
afterAll(() => sim.close());

const base = {
  summary: 'Phish reported',
  company: { identifier: 'AcmeLogistics' },
  board: { name: 'Security' },
};
const fieldsOf = (body: Json) => body.errors.map((e: Json) => e.field);

describe('POST service/tickets', () => {
  it('creates with 201 and the full CW-shaped record, defaults filled in, nulls left out', async () => {
    const res = await cw(sim, 'POST', 'service/tickets', {
      ...base,
      initialDescription: 'From the platform',
      contact: null,
    });
    expect(res.status).toBe(201);
    const t = res.body;
    expect(t).toMatchObject({
      summary: 'Phish reported',
      recordType: 'ServiceTicket',
      board: { name: 'Security' },
      status: { name: 'New' },
      priority: { name: 'Priority 3 - Normal Response' },
      company: { identifier: 'AcmeLogistics', name: 'Acme Logistics' },
      closedFlag: false,
    });
    expect(t.company._info.company_href).toBe(`${sim.apiBase()}/company/companies/${t.company.id}`);
    expect(t._info).toMatchObject({ updatedBy: 'IntegrationAPI', enteredBy: 'IntegrationAPI' });
    expect(t._info.dateEntered).toMatch(/^2026-03-10T\d{2}:\d{2}:\d{2}Z$/);
    expect('contact' in t).toBe(false);
    expect('initialDescription' in t).toBe(false);
    const notes = await cw(sim, 'GET', `service/tickets/${t.id}/notes`);
    expect(notes.body).toMatchObject([{ text: 'From the platform', detailDescriptionFlag: true }]);
    expect((await cw(sim, 'GET', `service/tickets/${t.id}`)).body).toEqual(t);
  });

  it('requires summary and company, limits summary to 100 characters and checks enums', async () => {
    const missing = await cw(sim, 'POST', 'service/tickets', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'InvalidObject', message: 'ticket object is invalid' });
    expect(fieldsOf(missing.body)).toEqual(expect.arrayContaining(['summary', 'company']));
    expect(missing.body.errors[0]).toMatchObject({ code: 'MissingRequiredField', resource: 'ticket' });
    expect((await cw(sim, 'POST', 'service/tickets', { ...base, summary: 'x'.repeat(100) })).status).toBe(
      201,
    );
    const long = await cw(sim, 'POST', 'service/tickets', { ...base, summary: 'x'.repeat(101) });
    expect(fieldsOf(long.body)).toEqual(['summary']);
    const badEnum = await cw(sim, 'POST', 'service/tickets', { ...base, severity: 'Apocalyptic' });
    expect(fieldsOf(badEnum.body)).toEqual(['severity']);
  });

  it('refuses references that do not exist and a status of another board', async () => {
    const ghost = await cw(sim, 'POST', 'service/tickets', { ...base, company: { id: 999999 } });
    expect(fieldsOf(ghost.body)).toEqual(['company']);
    const helpDesk = (await cw(sim, 'GET', 'service/boards?conditions=name="Help Desk"')).body[0];
    const helpStatus = (await cw(sim, 'GET', `service/boards/${helpDesk.id}/statuses`)).body[0];
    const wrongBoard = await cw(sim, 'POST', 'service/tickets', { ...base, status: { id: helpStatus.id } });
    expect(wrongBoard.status).toBe(400);
    expect(fieldsOf(wrongBoard.body)).toEqual(['status']);
    const deleted = await cw(sim, 'POST', 'service/tickets', {
      ...base,
      company: { identifier: 'YellowstoneFreight' },
    });
    expect(fieldsOf(deleted.body)).toEqual(['company']);
  });

  it("refuses a reference to a missing record with CW's InvalidObject error and stores nothing", async () => {
    const before = (await cw(sim, 'GET', 'service/tickets/count')).body.count;
    const invalid = (field: string, message: string) => ({
      code: 'InvalidField',
      message,
      resource: 'ticket',
      field,
    });
    const ghost = await cw(sim, 'POST', 'service/tickets', {
      ...base,
      company: { id: 999999 },
      contact: { id: '999998' },
      agreement: { id: 999997 },
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body).toEqual({
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      errors: [
        invalid('company', 'The company 999999 was not found.'),
        invalid('contact', 'The contact "999998" was not found.'),
        invalid('agreement', 'The agreement 999997 was not found.'),
      ],
    });
    const byName = await cw(sim, 'POST', 'service/tickets', {
      ...base,
      company: { identifier: 'NoSuchCompany' },
      priority: { name: 'Priority 0 - Whenever' },
    });
    expect(byName.status).toBe(400);
    expect(byName.body.errors).toEqual([
      invalid('company', 'The company "NoSuchCompany" was not found.'),
      invalid('priority', 'The priority "Priority 0 - Whenever" was not found.'),
    ]);
    // a status, type or item is looked up among its board's own: another board's id is not found
    const helpDesk = (await cw(sim, 'GET', 'service/boards?conditions=name="Help Desk"')).body[0];
    const helpStatus = (await cw(sim, 'GET', `service/boards/${helpDesk.id}/statuses`)).body[0];
    const otherBoard = await cw(sim, 'POST', 'service/tickets', { ...base, status: { id: helpStatus.id } });
    expect(otherBoard.body.errors).toEqual([
      invalid('status', `The status of board Security ${helpStatus.id} was not found.`),
    ]);
    expect((await cw(sim, 'GET', 'service/tickets/count')).body.count).toBe(before);
    // an id given as a numeric string still names the record, as CW's JSON binding reads it
    const acme = (await cw(sim, 'GET', 'company/companies?conditions=identifier="AcmeLogistics"')).body[0];
    const byStringId = await cw(sim, 'POST', 'service/tickets', {
      ...base,
      company: { id: String(acme.id) },
    });
    expect(byStringId.status).toBe(201);
    expect(byStringId.body.company).toMatchObject({ id: acme.id, identifier: 'AcmeLogistics' });
  });

  it("answers a bare id for a reference with CW's conversion error, and malformed JSON with 400", async () => {
    const bare = await cw(sim, 'POST', 'service/tickets', { ...base, company: 250 });
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe('ConnectWiseApi');
    expect(bare.body.message).toContain(
      "Error converting value 250 to type 'ConnectWise.Apis.v3_0.v2015_3.Common.Models.CompanyReference'",
    );
    const broken = await cw(sim, 'POST', 'service/tickets', undefined, {
      raw: '{"summary":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('ConnectWiseApi');
  });
});

describe('PATCH and PUT service/tickets/{id}', () => {
  it('closes with a closed status: closedFlag, closedDate and closedBy set; reopening clears them', async () => {
    const t = (await cw(sim, 'POST', 'service/tickets', base)).body;
    const closed = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'status', value: { name: 'Resolved' } },
    ]);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      closedFlag: true,
      closedBy: 'IntegrationAPI',
      status: { name: 'Resolved' },
    });
    expect(closed.body.closedDate).toMatch(/^2026-03-10T/);
    const reopened = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'status', value: { name: 'In Progress' } },
    ]);
    expect(reopened.body.closedFlag).toBe(false);
    expect('closedDate' in reopened.body).toBe(false);
  });

  it('applies several operations, removes fields, and refuses unknown or wrongly cased paths', async () => {
    const t = (await cw(sim, 'POST', 'service/tickets', { ...base, externalXRef: 'x1' })).body;
    const res = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'summary', value: 'Updated' },
      { op: 'remove', path: 'externalXRef' },
      { op: 'add', path: '/impact', value: 'High' },
    ]);
    expect(res.body).toMatchObject({ summary: 'Updated', impact: 'High' });
    expect('externalXRef' in res.body).toBe(false);
    const wrongCase = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'Summary', value: 'x' },
    ]);
    expect(wrongCase.status).toBe(400);
    expect((await cw(sim, 'PATCH', `service/tickets/${t.id}`, { op: 'replace' })).status).toBe(400);
    const tooLong = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'summary', value: 'y'.repeat(101) },
    ]);
    expect(fieldsOf(tooLong.body)).toEqual(['summary']);
    expect((await cw(sim, 'GET', `service/tickets/${t.id}`)).body.summary).toBe('Updated');
  });

  it('treats a nested path as CW\'s "false 200": accepted, nothing changes', async () => {
    const t = (await cw(sim, 'POST', 'service/tickets', base)).body;
    const res = await cw(sim, 'PATCH', `service/tickets/${t.id}`, [
      { op: 'replace', path: 'company/identifier', value: 'CedarRidgeLaw' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.company.identifier).toBe('AcmeLogistics');
  });

  it('PUT replaces the ticket: fields not sent go back to defaults', async () => {
    const t = (await cw(sim, 'POST', 'service/tickets', { ...base, externalXRef: 'put-1', severity: 'High' }))
      .body;
    const res = await cw(sim, 'PUT', `service/tickets/${t.id}`, {
      summary: 'Replaced',
      company: { id: t.company.id },
      board: { id: t.board.id },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, summary: 'Replaced', severity: 'Medium' });
    expect('externalXRef' in res.body).toBe(false);
    expect(res.body._info.dateEntered).toBe(t._info.dateEntered);
    expect(
      (await cw(sim, 'PUT', 'service/tickets/999999', { summary: 'x', company: { id: 250 } })).status,
    ).toBe(404);
  });
});

describe('service/tickets/{id}/notes', () => {
  it("needs text and one of the three display flags, with CW's message", async () => {
    const t = (await cw(sim, 'POST', 'service/tickets', base)).body;
    const noFlag = await cw(sim, 'POST', `service/tickets/${t.id}/notes`, { text: 'hello' });
    expect(noFlag.status).toBe(400);
    expect(noFlag.body.message).toBe('serviceNote object is invalid');
    expect(noFlag.body.errors[0].message).toBe(
      'Please choose where to display the notes in order to save this record.',
    );
    const noText = await cw(sim, 'POST', `service/tickets/${t.id}/notes`, { internalAnalysisFlag: true });
    expect(fieldsOf(noText.body)).toEqual(['text']);
    const ok = await cw(sim, 'POST', `service/tickets/${t.id}/notes`, {
      text: 'Resolved: released',
      resolutionFlag: true,
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      ticketId: t.id,
      resolutionFlag: true,
      internalAnalysisFlag: false,
      createdBy: 'IntegrationAPI',
    });
    const list = await cw(sim, 'GET', `service/tickets/${t.id}/notes`);
    expect(list.body.map((n: Json) => n.id)).toEqual([ok.body.id]);
    expect((await cw(sim, 'GET', `service/tickets/${t.id}/notes/count`)).body.count).toBe(1);
    expect(
      (await cw(sim, 'POST', 'service/tickets/999999/notes', { text: 'x', resolutionFlag: true })).status,
    ).toBe(404);
  });
});
