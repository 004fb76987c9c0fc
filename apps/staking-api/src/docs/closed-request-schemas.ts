import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: unknown;
};

const REF_PREFIX = '#/components/schemas/';

/**
 * The ValidationPipe refuses unknown fields (400 S111, forbidNonWhitelisted): every schema a
 * request body uses, nested ones included, says so with `additionalProperties: false`.
 * Answers stay open: a new answer field must not break a client.
 */
export function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<string>();
  const visit = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (schema.$ref?.startsWith(REF_PREFIX)) {
      const name = schema.$ref.slice(REF_PREFIX.length);
      if (seen.has(name)) return;
      seen.add(name);
      const target = schemas[name];
      if (target?.properties) target.additionalProperties = false;
      visit(target);
      return;
    }
    for (const inner of Object.values(schema.properties ?? {})) visit(inner);
    visit(schema.items);
    for (const inner of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
      visit(inner);
  };
  for (const item of Object.values(document.paths))
    for (const op of Object.values(item as Record<string, { requestBody?: unknown }>)) {
      const body = op?.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
      for (const media of Object.values(body?.content ?? {})) visit(media.schema);
    }
}
