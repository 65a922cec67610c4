import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  generatePassword,
  hashPassword,
  isRole,
  passwordProblem,
  ROLES,
  usersRepository,
} from '../../auth/index.ts';
import { insertAudit } from '../../http/index.ts';
import { createStore, getPartner } from '../../store/index.ts';
import { configOrExit } from './config-or-exit.ts';

interface UsersCreateOptions {
  partner: string;
  email: string;
  role: string;
  tenant?: string;
  passwordStdin: boolean;
  json: boolean;
}

function fail(message: string): void {
  console.error(message);
  process.exitCode = 2;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage console users');
  users
    .command('create')
    .description(
      'create a console user; asks for the password on a terminal, reads it with --password-stdin, ' +
        'or generates one and prints it once',
    )
    .requiredOption('--partner <id>', 'partner id (from `partners create`)')
    .requiredOption('--email <email>', 'sign-in e-mail address')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--tenant <tenantId>', 'platform tenant id (required for tenant_user, refused otherwise)')
    .option('--password-stdin', 'read the password from standard input', false)
    .option('--json', 'print JSON instead of text', false)
    .action(async (opts: UsersCreateOptions) => {
      if (!isRole(opts.role)) return fail(`--role: expected one of ${ROLES.join(', ')}, got ${opts.role}`);
      const email = z.email().safeParse(opts.email.trim());
      if (!email.success) return fail(`--email: expected an e-mail address, got ${opts.email}`);
      if (opts.role === 'tenant_user' && !opts.tenant) return fail('--tenant: required for role tenant_user');
      if (opts.role !== 'tenant_user' && opts.tenant) return fail('--tenant: only for role tenant_user');

      let password: string;
      let generated = false;
      if (opts.passwordStdin) password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
      else if (process.stdin.isTTY) {
        password = await askHidden('Password: ');
        if ((await askHidden('Repeat password: ')) !== password) return fail('the passwords differ');
      } else {
        password = generatePassword();
        generated = true;
      }
      const problem = passwordProblem(password);
      if (problem) return fail(`password: ${problem}`);

      const config = configOrExit();
      if (!config) return;
      const store = createStore(config);
      try {
        await store.migrate();
        if (!(await getPartner(store.db, opts.partner))) return fail(`--partner: no partner ${opts.partner}`);
        if (opts.tenant) {
          const tenant = await store.db
            .selectFrom('tenants')
            .select('tenant_id')
            .where('partner_id', '=', opts.partner)
            .where('tenant_id', '=', opts.tenant)
            .executeTakeFirst();
          if (!tenant) return fail(`--tenant: partner ${opts.partner} has no tenant ${opts.tenant}`);
        }
        const repo = usersRepository(store.db);
        if ((await repo.findActiveByEmail(email.data)).some((u) => u.partner_id === opts.partner)) {
          return fail(`--email: partner ${opts.partner} already has a user ${email.data}`);
        }
        const passwordHash = await hashPassword(password);
        const user = await store.writeTransaction(async (trx) => {
          const created = await usersRepository(trx).create({
            partnerId: opts.partner,
            email: email.data,
            passwordHash,
            role: opts.role as (typeof ROLES)[number],
            tenantId: opts.tenant ?? null,
          });
          await insertAudit(trx, {
            partnerId: opts.partner,
            actor: 'cli',
            action: 'user.create',
            target: `user:${created.id}`,
            outcome: 'success',
            details: { email: created.email, role: created.role, tenantId: created.tenant_id },
          });
          return created;
        });
        if (opts.json) {
          console.log(
            JSON.stringify({
              userId: user.id,
              email: user.email,
              role: user.role,
              ...(generated ? { password } : {}),
            }),
          );
        } else {
          console.log(`user id:   ${user.id}\nemail:     ${user.email}\nrole:      ${user.role}`);
          if (generated) console.log(`password:  ${password}\n\nThe password is shown only now.`);
        }
      } finally {
        await store.close();
      }
    });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  let muted = true;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      muted = false;
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
