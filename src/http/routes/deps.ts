import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CookiePolicy, LoginLimiter, SessionService, UsersRepository } from '../../auth/index.ts';
import type { Config } from '../../config/index.ts';
import type { JobQueue } from '../../queue/index.ts';
import type { SecretBox } from '../../secrets/index.ts';
import type { Store } from '../../store/index.ts';
import type { AuditWriter } from '../audit.ts';
import type { DenialCoalescer } from '../denial-coalescer.ts';

/** What console route modules are given; nothing here comes from the request. */
export interface ConsoleDeps {
  config: Config;
  store: Store;
  queue: JobQueue | undefined;
  /** Seals secrets bound to (partner, field): a ciphertext moved to another row or field fails to open. */
  secrets: SecretBox | undefined;
  audit: AuditWriter;
  /** Shared with the guard: which refusals of callers without a session get an audit row. */
  anonymousDenials: DenialCoalescer;
  sessions: SessionService;
  users: UsersRepository;
  cookie: CookiePolicy;
  clock: () => Date;
  loginLimiter: LoginLimiter;
}

export type ConsoleApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
