import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * A route-level serializer compiler for hot routes: compiles the route's zod response schema to
 * JSON Schema once and serializes with fast-json-stringify (Fastify's own serializer), instead of
 * re-validating every response with zod and then calling JSON.stringify. The handler's output is
 * already typed by the zod schema through the type provider; the OpenAPI document is unchanged.
 */
export function fastSerializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  const jsonSchema = z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7' });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
}
