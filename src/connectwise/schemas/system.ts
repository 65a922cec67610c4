import { z } from 'zod';
import { bool, str } from './common.ts';

/** `GET /system/info` (schema `Info`, not in the GET-subset spec: from the full 2025.8 spec). */
export const systemInfo = z.looseObject({
  version: z.string(),
  isCloud: bool,
  serverTimeZone: str,
  cloudRegion: str,
});
export type SystemInfo = z.infer<typeof systemInfo>;
