import { adminRole, integrationRole, noCloseRole, restrictedRole } from '../roles.ts';
import type { ApiMember } from '../types.ts';

/** The API members every seed has; keys are published on purpose (a sandbox, not a secret). */
export function seedMembers(): ApiMember[] {
  return [
    {
      id: 101,
      identifier: 'IntegrationAPI',
      name: 'Integration API',
      publicKey: 'sandbox-public',
      privateKey: 'sandbox-private',
      role: integrationRole(),
    },
    {
      id: 102,
      identifier: 'RestrictedAPI',
      name: 'Restricted API',
      publicKey: 'restricted-public',
      privateKey: 'restricted-private',
      role: restrictedRole(),
    },
    {
      id: 103,
      identifier: 'NoCloseAPI',
      name: 'No-Close API',
      publicKey: 'noclose-public',
      privateKey: 'noclose-private',
      role: noCloseRole(),
    },
    {
      id: 104,
      identifier: 'AdminAPI',
      name: 'Admin API',
      publicKey: 'admin-public',
      privateKey: 'admin-private',
      role: adminRole(),
    },
  ];
}

/** The member that "entered" seeded records, as CW's `_info.enteredBy` shows. */
export const SEED_USER = 'zAdmin';
