import { bootTestApp, type TestApp } from './support/test-app.js';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp('openapi');
  });
  afterAll(async () => t?.close());

  it('every DTO property carries a description or an example', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/docs-json' })).json();
    const bare: string[] = [];
    for (const [schema, def] of Object.entries<{
      properties?: Record<
        string,
        {
          description?: string;
          example?: unknown;
          $ref?: string;
          allOf?: unknown;
          items?: { $ref?: string };
        }
      >;
    }>(doc.components.schemas)) {
      for (const [name, prop] of Object.entries(def.properties ?? {})) {
        const referencesSchema = prop.$ref || prop.allOf || prop.items?.$ref;
        if (prop.description === undefined && prop.example === undefined && !referencesSchema)
          bare.push(`${schema}.${name}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('every operation has a summary', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/docs-json' })).json();
    const missing: string[] = [];
    for (const [path, methods] of Object.entries<Record<string, { summary?: string }>>(doc.paths)) {
      for (const [method, op] of Object.entries(methods))
        if (!op.summary) missing.push(`${method.toUpperCase()} ${path}`);
    }
    expect(missing).toEqual([]);
  });
});
