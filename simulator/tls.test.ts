import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { basicAuth } from './auth.ts';
import { startSimulator } from './index.ts';

describe('--tls', () => {
  it('serves HTTPS with a self-signed certificate that clients can trust through `ca`', async () => {
    const sim = await startSimulator({ seed: 'empty', tls: true, quiet: true });
    try {
      expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.ca).toContain('BEGIN CERTIFICATE');
      const dispatcher = new Agent({ connect: { ca: sim.ca } });
      const c = sim.credentials;
      const res = await request(`${sim.apiBase()}/procurement/catalog/count`, {
        dispatcher,
        headers: { authorization: basicAuth(c.companyId, c.publicKey, c.privateKey), clientid: c.clientId },
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ count: 9 });
      const untrusted = request(`${sim.url}/login/companyinfo/sandbox`, { dispatcher: new Agent() });
      await expect(untrusted).rejects.toThrow();
      await dispatcher.close();
    } finally {
      await sim.close();
    }
  });
});
