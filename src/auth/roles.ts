import { ROLES, type Role } from '../store/index.ts';

/**
 * The three kinds of account, named once in the store; auth adds what each may do. Tenant users belong
 * to an MSP's end customer and never see the integration.
 */
export { ROLES, type Role };

/**
 * What a route needs. `public` routes take no session (login, health); every other console route names
 * the least it needs, and the access hook refuses anything below it.
 */
export type Access = 'public' | 'session' | 'read' | 'write';

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Pure decision: may this role use a route with this access level? `session` routes (who am I, log out)
 * are open to any signed-in account; the integration (`read`, `write`) is for MSP staff only.
 */
export function roleAllows(role: Role, access: Access): boolean {
  switch (access) {
    case 'public':
    case 'session':
      return true;
    case 'read':
      return role === 'msp_admin' || role === 'msp_viewer';
    case 'write':
      return role === 'msp_admin';
  }
}
