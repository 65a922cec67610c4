import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('logger', () => {
  it('redacts secrets at any of the depths handlers log them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info({ privateKey: 'PK-SECRET-1', conn: { privateKey: 'PK-SECRET-2', site: 'na.example' } }, 'saved');
    log.info({ body: { form: { password: 'hunter2hunter2' } }, authorization: 'Basic abc' }, 'login');
    log.info({ text: 'line1\r\nline2 \u001b[31m' }, 'injection');
    const all = lines.join('');
    for (const secret of ['PK-SECRET-1', 'PK-SECRET-2', 'hunter2hunter2', 'Basic abc']) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('na.example');
    expect(lines.every((l) => l.trimEnd().split('\n').length === 1)).toBe(true);
  });
});
