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

  it('every path parameter of every operation is declared, with a description and a pattern or format', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/docs-json' })).json();
    const problems: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries<Record<string, { parameters?: unknown[] }>>(
      doc.paths,
    )) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const [method, op] of Object.entries(item)) {
        const declared = (
          (op.parameters ?? []) as {
            in: string;
            name: string;
            description?: string;
            schema?: { pattern?: string; format?: string };
          }[]
        ).filter((p) => p.in === 'path');
        for (const name of names) {
          checked++;
          const param = declared.find((p) => p.name === name);
          if (!param) problems.push(`${method.toUpperCase()} ${path}: {${name}} not declared`);
          else if (!param.description && !param.schema?.pattern && !param.schema?.format)
            problems.push(`${method.toUpperCase()} ${path}: {${name}} undescribed`);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(problems).toEqual([]);
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
