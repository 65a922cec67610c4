/**
 * Cookie name and attributes for the login cookie. Over https it is `__Host-` prefixed and `Secure`
 * (the browser then refuses it without Secure, with a Domain, or with a Path other than `/`); over
 * plain http (localhost development) the prefix would make the browser drop it, so the name is plain.
 */
export interface CookiePolicy {
  name: string;
  secure: boolean;
  sameSite: 'strict' | 'lax';
  httpOnly: true;
  path: '/';
}

export const SESSION_COOKIE_BASE_NAME = 'psa_session';

export function cookiePolicy(publicUrl: string | undefined): CookiePolicy {
  const secure = publicUrl !== undefined && new URL(publicUrl).protocol === 'https:';
  return {
    name: secure ? `__Host-${SESSION_COOKIE_BASE_NAME}` : SESSION_COOKIE_BASE_NAME,
    secure,
    // Strict: the console is a single-page app whose API calls are same-site, so no cross-site
    // navigation ever needs the cookie.
    sameSite: 'strict',
    httpOnly: true,
    path: '/',
  };
}
