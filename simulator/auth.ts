import type { IncomingHttpHeaders } from 'node:http';
import { unauthorized } from './errors.ts';
import type { ApiMember, SimState } from './types.ts';

/**
 * CW API-key auth: `Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")` plus the
 * `clientId` header every call must carry since 2019. Company ids compare case-insensitively, as
 * CW's login does; keys compare exactly.
 */
export function authenticate(headers: IncomingHttpHeaders, state: SimState): ApiMember {
  const header = headers.authorization;
  if (!header) throw unauthorized('Authorization header is missing.');
  const [scheme, encoded] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic' || !encoded)
    throw unauthorized('Authorization must use the Basic scheme.');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const plus = decoded.indexOf('+');
  if (colon < 0 || plus < 0 || plus > colon) {
    throw unauthorized('Authorization must be base64("companyId+publicKey:privateKey").');
  }
  const companyId = decoded.slice(0, plus);
  const publicKey = decoded.slice(plus + 1, colon);
  const privateKey = decoded.slice(colon + 1);
  if (companyId.toLowerCase() !== state.loginCompany.companyId.toLowerCase()) {
    throw unauthorized('The supplied authentication is incorrect.');
  }
  const member = state.members.find((m) => m.publicKey === publicKey);
  if (!member || member.privateKey !== privateKey || member.inactive) {
    throw unauthorized('The supplied authentication is incorrect.');
  }
  const clientId = headers['clientid'];
  if (typeof clientId !== 'string' || clientId === '') {
    throw unauthorized('A clientId header is required for all API calls.');
  }
  if (!state.clientIds.has(clientId.toLowerCase())) {
    throw unauthorized(`The clientId '${clientId}' is not a registered integration.`);
  }
  return member;
}

/** The Authorization header value for a member (used by describe(), tests and the bench). */
export function basicAuth(companyId: string, publicKey: string, privateKey: string): string {
  return `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
}
