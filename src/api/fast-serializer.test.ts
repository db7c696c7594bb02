import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastSerializerCompiler } from './fast-serializer.js';

describe('fastSerializerCompiler', () => {
  const schema = z.object({
    id: z.number().int(),
    name: z.string(),
    note: z.string().nullable(),
    owner: z.object({ email: z.string() }).nullable(),
    tags: z.array(z.string()),
    details: z.unknown().optional(),
  });
  const serialize = fastSerializerCompiler({ schema });

  it('writes what JSON.stringify writes for data matching the schema', () => {
    for (const value of [
      { id: 1, name: 'a "quoted" name', note: null, owner: null, tags: [] },
      { id: 2, name: 'b', note: 'n', owner: { email: 'x@y' }, tags: ['t'], details: [{ a: 1 }] },
    ]) {
      expect(JSON.parse(serialize(value))).toEqual(value);
    }
  });

  it('leaves out properties the schema does not declare, as the zod serializer does', () => {
    const value = { id: 1, name: 'a', note: null, owner: null, tags: [], secret: 'hidden' };
    expect(JSON.parse(serialize(value))).not.toHaveProperty('secret');
  });
});
