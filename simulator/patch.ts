import { CwError, Problems } from './errors.ts';
import type { Body } from './validate.ts';

/**
 * Applies CW's PATCH body — an array of `{op, path, value}` with op add | replace | remove — to a
 * copy of the record's writable fields. Paths name top-level fields, case-sensitively; a leading `/`
 * is tolerated. Fields of CW's schema the simulator does not model are accepted and ignored. A nested
 * path such as `company/identifier` is accepted and ignored too: CW documents that such a PATCH "may
 * receive a false 200", and clients must replace the whole reference object.
 */
export function applyPatch(
  record: Body,
  ops: unknown,
  resource: string,
  writable: ReadonlySet<string>,
  known: ReadonlySet<string> = writable,
): Body {
  if (!Array.isArray(ops)) {
    throw new CwError(400, {
      code: 'ConnectWiseApi',
      message: `Cannot deserialize the request body into type 'List<PatchOperation>': a JSON array of {op, path, value} is expected.`,
    });
  }
  const next = writableOf(record, writable);
  const p = new Problems(resource);
  for (const [i, raw] of ops.entries()) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      p.add(`[${i}]`, 'Each patch operation must be an object {op, path, value}.');
      continue;
    }
    const { op, path, value } = raw as { op?: unknown; path?: unknown; value?: unknown };
    const kind = typeof op === 'string' ? op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(kind)) {
      p.add('op', `Patch operation ${i}: op must be add, replace or remove.`);
      continue;
    }
    if (typeof path !== 'string' || path.replace(/^\//, '') === '') {
      p.add('path', `Patch operation ${i}: path is required.`);
      continue;
    }
    const field = path.replace(/^\//, '');
    if (field.includes('/')) continue; // modelled "false 200": nested paths change nothing
    if (!writable.has(field)) {
      // A field of CW's schema the simulator does not model (or a server-maintained one such as
      // closedFlag) is accepted and has no effect; a name CW does not have is an error.
      if (!known.has(field)) {
        p.add(
          field,
          `Patch operation ${i}: '${field}' is not a field of ${resource} (paths are case-sensitive).`,
        );
      }
      continue;
    }
    if (kind === 'remove' || value === null) delete next[field];
    else if (value === undefined) p.add(field, `Patch operation ${i}: value is required for ${kind}.`);
    else next[field] = value;
  }
  p.throwIfAny();
  return next;
}

function writableOf(rec: Body, writable: ReadonlySet<string>): Body {
  const out: Body = {};
  for (const key of writable) if (rec[key] !== undefined) out[key] = rec[key];
  return out;
}
