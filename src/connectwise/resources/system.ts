import type { Api } from '../api.ts';
import { type SystemInfo, systemInfo } from '../schemas/index.ts';

export interface SystemResource {
  /** `GET /system/info`: the server's version; any authenticated member may call it. */
  info(options?: { signal?: AbortSignal }): Promise<SystemInfo>;
}

export function systemResource(api: Api): SystemResource {
  return { info: (options) => api.json(systemInfo, 'GET', '/system/info', { signal: options?.signal }) };
}
