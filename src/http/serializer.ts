import fastJsonStringify, { type Options, type Schema } from 'fast-json-stringify';

type Schemas = Record<string, Schema>;

/**
 * Fastify's response serializer factory, as its default
 * (@fastify/fast-json-stringify-compiler) but handing each response schema
 * only the shared schemas (app.addSchema) it refers to, directly or through
 * another. fast-json-stringify checks every shared schema it is given against
 * the JSON Schema meta-schema, so given all of them for each of the several
 * hundred response schemas, building the app took about three seconds: at
 * every start of an instance, and of every test's app.
 */
export function buildSerializer(externalSchemas?: unknown, serializerOpts: Options = {}) {
  const shared = (externalSchemas ?? {}) as Schemas;
  return ({ schema }: { schema?: unknown }) =>
    fastJsonStringify(schema as Schema, { ...serializerOpts, schema: referencedBy(schema as Schema, shared) });
}

function referencedBy(root: Schema, shared: Schemas): Schemas {
  const found: Schemas = {};
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const id = value.split('#')[0];
          if (id && !(id in found) && id in shared) pending.push((found[id] = shared[id]));
        } else pending.push(value);
      }
    }
  }
  // a shared schema serialized on its own must not also be among its externals (as the default compiler does)
  const own = (root as { $id?: string }).$id;
  if (own) delete found[own];
  return found;
}
