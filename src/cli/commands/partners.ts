import type { Command } from 'commander';
import { insertAudit } from '../../http/index.ts';
import { addWebhookSecret, issuePlatformToken } from '../../platform/index.ts';
import { createSecretBox, followKeyring } from '../../secrets/index.ts';
import { createPartner, createStore } from '../../store/index.ts';
import { configOrExit } from './config-or-exit.ts';

export interface CreatedPartner {
  partnerId: string;
  name: string;
  platformToken: string;
  webhookSecret: string;
}

export function registerPartners(program: Command): void {
  const partners = program.command('partners').description('manage MSP partners');
  partners
    .command('create')
    .description('create a partner; prints its id, platform API token and webhook secret (shown once)')
    .requiredOption('--name <name>', 'the partner (MSP) name')
    .option('--time-zone <zone>', 'IANA time zone of the partner business day', 'UTC')
    .option('--json', 'print JSON instead of text', false)
    .action(async (opts: { name: string; timeZone: string; json: boolean }) => {
      const name = opts.name.trim();
      if (name === '' || name.length > 200) {
        console.error('--name: expected 1 to 200 characters');
        process.exitCode = 2;
        return;
      }
      if (!validTimeZone(opts.timeZone)) {
        console.error(`--time-zone: expected an IANA time zone such as Europe/Berlin, got ${opts.timeZone}`);
        process.exitCode = 2;
        return;
      }
      const config = configOrExit();
      if (!config) return;
      const store = createStore(config);
      try {
        await store.migrate();
        // Follows the key files, as the service does: a save that waited for a concurrent `keys rotate`
        // seals under the key it is adopting, not under the old one about to be deleted.
        const box = createSecretBox(followKeyring(config));
        const created = await store.writeTransaction(async (trx): Promise<CreatedPartner> => {
          const { id: partnerId } = await createPartner(trx, { name, time_zone: opts.timeZone });
          // The token is stored as its SHA-256 only, the webhook secret sealed: both are shown here once.
          const platformToken = await issuePlatformToken(trx, partnerId);
          const { secret } = await addWebhookSecret(trx, box, partnerId);
          await insertAudit(trx, {
            partnerId,
            actor: 'cli',
            action: 'partner.create',
            target: `partner:${partnerId}`,
            outcome: 'success',
            details: { name },
          });
          return { partnerId, name, platformToken, webhookSecret: secret };
        });
        if (opts.json) {
          console.log(JSON.stringify(created));
        } else {
          console.log(
            [
              `partner id:          ${created.partnerId}`,
              `name:                ${created.name}`,
              `platform API token:  ${created.platformToken}`,
              `webhook secret:      ${created.webhookSecret}`,
              '',
              'The token and the secret are shown only now: give them to the platform and keep no other copy.',
            ].join('\n'),
          );
        }
      } finally {
        await store.close();
      }
    });
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
