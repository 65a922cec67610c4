import { z } from 'zod';
import { parseSite, SiteNotAllowedError } from '../../connectwise/index.ts';
import { type CwConnectionView, getCwConnection, saveCwConnection } from '../../store/index.ts';
import { insertAudit } from '../audit-store.ts';
import { badRequest, HttpError } from '../errors.ts';
import type { ConsoleApp, ConsoleDeps } from './deps.ts';
import { errorSchema } from './schemas.ts';

const connectionSchema = z
  .object({
    configured: z.boolean(),
    site: z.string().nullable(),
    companyId: z.string().nullable(),
    publicKey: z.string().nullable(),
    /** The private key itself is write-only: only whether it is set and its last 4 characters. */
    privateKeySet: z.boolean(),
    privateKeyLast4: z.string().nullable(),
    status: z.enum(['untested', 'ok', 'failed']).nullable(),
    statusDetail: z.string().nullable(),
    lastTestedAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'Connection' });

const KEY = /^[A-Za-z0-9]+$/;
const connectionBody = z
  .object({
    site: z
      .string({ message: 'expected a string' })
      .trim()
      .min(1, { message: 'expected the ConnectWise site, e.g. na.myconnectwise.net' })
      .max(253),
    companyId: z
      .string({ message: 'expected a string' })
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,50}$/, {
        message: 'expected the company ID you sign in to ConnectWise with (letters, digits, _ . -)',
      }),
    publicKey: z
      .string({ message: 'expected a string' })
      .trim()
      .regex(KEY, { message: 'expected letters and digits only' })
      .min(8)
      .max(64),
    /** Omit to keep the stored private key (it can never be read back). */
    privateKey: z
      .string({ message: 'expected a string' })
      .trim()
      .regex(KEY, { message: 'expected letters and digits only' })
      .min(8)
      .max(64)
      .optional(),
  })
  .strict();

/** Wizard step 1: the partner's ConnectWise API member keys. Partner id comes from the session only. */
export async function connectionRoutes(app: ConsoleApp, deps: ConsoleDeps): Promise<void> {
  const { store } = deps;

  // Only these fields leave the server; the response schema strips anything else as a second guard.
  const present = (row: CwConnectionView | undefined) =>
    row
      ? {
          configured: true,
          site: row.site,
          companyId: row.company_id,
          publicKey: row.public_key,
          privateKeySet: row.private_key_set,
          privateKeyLast4: row.private_key_last4,
          status: row.status,
          statusDetail: row.status_detail,
          lastTestedAt: row.last_tested_at,
          updatedAt: row.updated_at,
          updatedBy: row.updated_by,
        }
      : {
          configured: false,
          site: null,
          companyId: null,
          publicKey: null,
          privateKeySet: false,
          privateKeyLast4: null,
          status: null,
          statusDetail: null,
          lastTestedAt: null,
          updatedAt: null,
          updatedBy: null,
        };

  app.get(
    '/connection',
    {
      config: { access: 'read' },
      schema: {
        summary: 'ConnectWise connection settings (the private key is never returned)',
        tags: ['connection'],
        response: { 200: connectionSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => present(await getCwConnection(store.db, request.auth!.partnerId)),
  );

  app.put(
    '/connection',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Save ConnectWise connection settings; the private key is stored encrypted',
        tags: ['connection'],
        body: connectionBody,
        response: { 200: connectionSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const auth = request.auth!;
      const body = request.body;
      try {
        parseSite(body.site, {
          allowedHosts: deps.config.cw.allowedHosts,
          allowPrivateAddresses: deps.config.cw.allowPrivateAddresses,
          allowInsecureHttp: !deps.config.production,
        });
      } catch (err) {
        if (err instanceof SiteNotAllowedError) throw badRequest('body.site', (err as Error).message);
        throw err;
      }
      const secrets = deps.secrets;
      if (!secrets) throw new HttpError(503, 'unavailable', 'secret storage is not configured');
      const at = deps.clock();
      const actor = `user:${auth.userId}`;

      const saved = await store.writeTransaction(async (trx) => {
        const existing = await getCwConnection(trx, auth.partnerId);
        if (!existing && body.privateKey === undefined) {
          throw badRequest('body.privateKey', 'is required the first time the connection is saved');
        }
        const row = await saveCwConnection(trx, secrets, auth.partnerId, {
          site: body.site,
          company_id: body.companyId,
          public_key: body.publicKey,
          private_key: body.privateKey,
          client_id: deps.config.cw.clientId,
          updated_by: actor,
        });
        await insertAudit(
          trx,
          {
            partnerId: auth.partnerId,
            actor,
            action: existing ? 'connection.update' : 'connection.create',
            target: 'cw_connection',
            outcome: 'success',
            details: {
              site: body.site,
              companyId: body.companyId,
              publicKey: body.publicKey,
              privateKeyChanged: body.privateKey !== undefined,
            },
            ip: request.ip,
          },
          at,
        );
        return row;
      });
      return present(saved);
    },
  );
}
