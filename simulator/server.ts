import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth.ts';
import { control, type StateHolder } from './control.ts';
import { CwError, forbidden, noRoute } from './errors.ts';
import { decideFault, faultBody, faultHtml, retryAfterValue } from './faults.ts';
import { renderPage } from './page.ts';
import { BASE } from './refs.ts';
import { companyInfo, servesCodebase } from './resources/system.ts';
import { allows, describePermission } from './roles.ts';
import type { Reply, Router } from './router.ts';
import { jsonBytes } from './serialize.ts';

const MAX_BODY = 10 * 1024 * 1024;
const API = /^\/([A-Za-z0-9_.]+\/)apis\/3\.0(\/.*)?$/;
const JSON_TYPE = 'application/json; charset=utf-8';

export interface Handler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Timers of requests held by a `hangMs` fault, cleared on close. */
  pending: Set<NodeJS.Timeout>;
}

/** The request handler: CW API, companyinfo, the /__sim/ control API and the read-only page. */
export function createHandler(
  holder: StateHolder,
  router: Router,
  opts: { tls: boolean; quiet: boolean },
): Handler {
  const pending = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      pending.delete(t);
      fn();
    }, ms);
    pending.add(t);
  };

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = q < 0 ? '' : rawUrl.slice(q + 1);
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? 'localhost';
    const origin = `${opts.tls ? 'https' : 'http'}://${host}`;
    const elapsedMs = () => Math.round((performance.now() - started) * 100) / 100;
    let member = '';
    let requestBody = '';

    const finish = (status: number, body: unknown, headers: Record<string, string> = {}, base = '') => {
      const bytes = body === undefined ? undefined : jsonBytes(body, base || BASE);
      const h: Record<string, string | number> = { ...headers };
      if (bytes) {
        h['Content-Type'] = JSON_TYPE;
        h['Content-Length'] = bytes.length;
      }
      h['Cache-Control'] = 'no-cache';
      res.writeHead(status, h);
      res.end(bytes);
      log(status);
    };
    const log = (status: number, fault?: string) => {
      if (pathname.startsWith('/__sim')) return undefined;
      return holder.state.log.record({
        at: new Date().toISOString(),
        method,
        path: pathname,
        query: search,
        member,
        status,
        durationMs: elapsedMs(),
        ...(fault ? { fault } : {}),
        ...(requestBody
          ? { body: requestBody.length > 16_384 ? `${requestBody.slice(0, 16_384)}…` : requestBody }
          : {}),
      });
    };
    const sendHtml = (status: number, html: string) => {
      res.writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(html),
      });
      res.end(html);
    };
    const fail = (err: unknown, base = '') => {
      if (err instanceof CwError) return finish(err.status, err.body, err.headers, base);
      if (!opts.quiet) console.error('[sim] unexpected error', err);
      finish(500, { code: 'ConnectWiseApi', message: 'An unexpected error occurred.' });
    };

    readBody(req, (tooLarge, raw) => {
      requestBody = raw;
      try {
        if (pathname === '/__sim' || pathname.startsWith('/__sim/')) {
          if (!isLoopback(req.socket.remoteAddress))
            throw new CwError(403, { code: 'Forbidden', message: 'loopback only' });
          const r = control(
            holder,
            method,
            pathname.replace(/^\/__sim\/?/, '').replace(/\/$/, ''),
            new URLSearchParams(search),
            parseJson(raw),
          );
          return finish(r.status, r.body, {}, `${origin}/v4_6_release/apis/3.0`);
        }
        if (method === 'GET' && (pathname === '/' || pathname === '/index.html')) {
          return sendHtml(200, renderPage(holder.state, origin));
        }
        const api = API.exec(pathname);
        const isInfo = pathname.toLowerCase().startsWith('/login/companyinfo/');
        if (!api && !isInfo) throw noRoute(pathname);
        const apiPath = api ? (api[2] ?? '/') : pathname;
        const decision = decideFault(holder.state.faults, method, pathname, apiPath);
        if (decision.kind === 'hang') {
          // Logged now, so a test sees the request arrive while it is held; the entry gets its
          // duration (and loses `open`) when the connection ends, by us or by a client giving up.
          const entry = log(0, 'hang');
          if (entry) entry.open = true;
          const ended = () => {
            if (!entry?.open) return;
            delete entry.open;
            entry.durationMs = elapsedMs();
          };
          req.socket.once('close', ended);
          return later(decision.ms, () => {
            ended();
            req.socket.destroy();
          });
        }
        if (decision.kind === 'reset') {
          log(0, 'reset');
          return req.socket.destroy();
        }
        if (decision.kind === 'redirect') {
          res.writeHead(decision.status, {
            Location: decision.location ?? `${origin}/`,
            'Content-Length': 0,
            'Cache-Control': 'no-cache',
          });
          res.end();
          return log(decision.status, 'redirect');
        }
        if (decision.kind === 'html') {
          sendHtml(decision.status, faultHtml());
          return log(decision.status, 'html');
        }
        if (decision.kind === 'status') {
          const headers: Record<string, string> =
            decision.retryAfter !== undefined
              ? { 'Retry-After': retryAfterValue(decision.retryAfter, decision.retryAfterFormat) }
              : {};
          return finish(decision.status, faultBody(decision.status, decision.retryAfter), headers);
        }
        const answer = () => {
          const base = api ? `${origin}/${api[1]}apis/3.0` : '';
          try {
            if (isInfo) {
              const id = safeDecode(pathname.slice('/login/companyinfo/'.length).replace(/\/$/, ''));
              return finish(200, companyInfo(holder.state, id, host));
            }
            if (!servesCodebase(holder.state, api![1]!)) throw noRoute(pathname);
            if (tooLarge)
              throw new CwError(413, { code: 'ConnectWiseApi', message: 'Request body too large.' });
            const reply = dispatch(req, apiPath, search, raw, base, (m) => (member = m));
            if (decision.loseResponse) {
              log(reply.status, 'lost-response');
              return req.socket.destroy();
            }
            finish(reply.status, reply.body, reply.headers, base);
          } catch (err) {
            fail(err, base);
          }
        };
        if (decision.delayMs > 0) later(decision.delayMs, answer);
        else answer();
      } catch (err) {
        fail(err);
      }
    });
  }) as Handler;

  function dispatch(
    req: IncomingMessage,
    apiPath: string,
    search: string,
    raw: string,
    base: string,
    setMember: (m: string) => void,
  ): Reply {
    const state = holder.state;
    const member = authenticate(req.headers, state);
    setMember(member.identifier);
    const path = apiPath.replace(/^\/+/, '');
    const match = router.match(req.method ?? 'GET', path);
    if (match.kind === 'none') throw noRoute(`${base}/${path}`);
    if (match.kind === 'method-not-allowed') {
      throw new CwError(
        405,
        {
          code: 'MethodNotAllowed',
          message: `The requested resource does not support http method '${req.method}'.`,
        },
        { Allow: match.allowed.join(', ') },
      );
    }
    const { route, params } = match;
    if (route.permission && !allows(member.role, route.permission))
      throw forbidden(describePermission(route.permission));
    return route.handle({
      state,
      member,
      params,
      query: new URLSearchParams(search),
      headers: req.headers,
      base,
      path: path.replace(/\/$/, ''),
      body: () => parseJson(raw),
    });
  }

  handler.pending = pending;
  return handler;
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new CwError(400, {
      code: 'ConnectWiseApi',
      message: `The request body is not valid JSON: ${(err as Error).message}`,
    });
  }
}

function readBody(req: IncomingMessage, done: (tooLarge: boolean, raw: string) => void): void {
  if (req.method === 'GET' || req.method === 'DELETE' || req.method === 'HEAD') {
    req.resume();
    if (req.complete) done(false, '');
    else req.once('end', () => done(false, ''));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.once('end', () => done(size > MAX_BODY, Buffer.concat(chunks).toString('utf8')));
}

/** A malformed escape cannot name a company: treated as an unknown one, never a 500. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}
