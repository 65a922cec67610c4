import { describe, expect, it } from 'vitest';
import { ROLES, roleAllows } from './roles.ts';

describe('roleAllows', () => {
  it('gives tenant users nothing of the integration', () => {
    expect(roleAllows('tenant_user', 'read')).toBe(false);
    expect(roleAllows('tenant_user', 'write')).toBe(false);
  });
  it('lets viewers read but not write', () => {
    expect(roleAllows('msp_viewer', 'read')).toBe(true);
    expect(roleAllows('msp_viewer', 'write')).toBe(false);
  });
  it('lets admins do everything, and every role reach its own session', () => {
    expect(roleAllows('msp_admin', 'write')).toBe(true);
    for (const role of ROLES) expect(roleAllows(role, 'session')).toBe(true);
  });
});
