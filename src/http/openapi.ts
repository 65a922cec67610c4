import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { $ZodType } from 'zod/v4/core';

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>;

const PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/**
 * Console routes declare zod schemas; the platform API may declare plain JSON Schema. The zod transform
 * only understands the former, so routes without any zod part pass through unchanged.
 */
function usesZod(schema: Record<string, unknown> | undefined): boolean {
  if (!schema) return false;
  if (PARTS.some((p) => schema[p] instanceof $ZodType)) return true;
  const response = schema['response'];
  return (
    !!response && typeof response === 'object' && Object.values(response).some((r) => r instanceof $ZodType)
  );
}

export const openApiTransform: Transform = (document) => {
  if (usesZod(document.schema as Record<string, unknown> | undefined)) return jsonSchemaTransform(document);
  return { schema: document.schema, url: document.url };
};

export function openApiOptions(
  version: string,
  serverUrl: string,
  cookieName: string,
): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'psa-bridge API',
        version,
        description:
          'Console API (cookie session + CSRF header) and platform API (bearer token, signed events). ' +
          'See docs/http-api.md.',
      },
      servers: [{ url: serverUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          platformToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: openApiTransform,
    // Named schemas (`.meta({ id })`) become components/schemas that the paths $ref.
    transformObject: jsonSchemaTransformObject,
  };
}
