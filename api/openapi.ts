import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';

/**
 * Routes declare their params, query, body and responses as zod schemas (CONVENTIONS: schemas are the source of
 * truth). This module lets fastify validate with them and lets @fastify/swagger document them as OpenAPI 3, so the
 * validation and the documentation cannot drift apart.
 */

function isZod(schema: unknown): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

/** Validation through zod; the failure keeps zod's issues for the error handler to word in Chinese. */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  if (!isZod(schema)) return () => ({ value: undefined as unknown });
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const error = Object.assign(new Error(issuesText(result.error)), { issues: result.error.issues }) as Error & { validation?: unknown };
    return { error };
  };
};

/** Plain JSON.stringify: responses are built from zod-typed data already; documentation is what the schema is for. */
export const passThroughSerializerCompiler = () => (data: unknown) => JSON.stringify(data);

export function issuesText(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}：${issue.message}` : issue.message;
    })
    .join('；');
}

function toJsonSchema(schema: unknown, io: 'input' | 'output'): unknown {
  if (!isZod(schema)) return schema;
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
}

/** @fastify/swagger `transform`: every zod schema of a route becomes JSON Schema. */
export function swaggerTransform({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (!schema) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  for (const part of ['params', 'querystring', 'body', 'headers'] as const) {
    if (schema[part]) out[part] = toJsonSchema(schema[part], 'input');
  }
  if (schema.response && typeof schema.response === 'object') {
    out.response = Object.fromEntries(
      Object.entries(schema.response as Record<string, unknown>).map(([code, value]) => {
        // A response may be { description, content: { mime: { schema } } } for non-JSON bodies.
        if (isZod(value)) return [code, toJsonSchema(value, 'output')];
        return [code, value];
      }),
    );
  }
  return { schema: out as FastifySchema, url };
}

export function useZod(app: FastifyInstance): void {
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(passThroughSerializerCompiler);
}
