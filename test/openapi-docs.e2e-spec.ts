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

  type Doc = {
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Record<string, SchemaDef> };
  };
  type Op = {
    parameters?: { in: string; name: string; schema?: SchemaDef }[];
    requestBody?: { content: Record<string, { schema: SchemaDef }> };
    security?: unknown[];
    responses: Record<
      string,
      { content?: Record<string, { schema?: SchemaDef }>; headers?: object }
    >;
  };
  type SchemaDef = {
    $ref?: string;
    type?: string;
    format?: string;
    pattern?: string;
    additionalProperties?: unknown;
    properties?: Record<string, SchemaDef>;
  };
  const doc = async () => (await t.inject({ method: 'GET', url: '/docs-json' })).json<Doc>();
  const operations = (d: Doc) =>
    Object.entries(d.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  it('every operation declares its error answers with the error schema, and Retry-After on the waiting ones', async () => {
    const d = await doc();
    const problems: string[] = [];
    for (const { path, method, op } of operations(d)) {
      const name = `${method.toUpperCase()} ${path}`;
      const want = [
        ...((op.parameters?.length ?? 0) || op.requestBody ? ['400'] : []),
        ...(op.security?.length ? ['401', '403'] : []),
        ...(op.parameters?.some((p) => p.in === 'path') ? ['404'] : []),
        ...(op.requestBody ? ['413', '415'] : []),
      ];
      for (const status of want) if (!op.responses[status]) problems.push(`${name}: no ${status}`);
      for (const [status, response] of Object.entries(op.responses)) {
        // Health probes answer 503 with the health report itself, not an error.
        if (Number(status) < 400 || path.startsWith('/health')) continue;
        const ref = response.content?.['application/json']?.schema?.$ref;
        if (ref !== '#/components/schemas/ErrorResponseDto')
          problems.push(`${name} ${status}: not the error schema`);
        if (['429', '503'].includes(status) && !response.headers?.['Retry-After' as never])
          problems.push(`${name} ${status}: no Retry-After`);
      }
    }
    expect(operations(d).length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  it('every write the approval gate can stop documents its 202 as the area answer or the pending approval', async () => {
    const d = await doc();
    const writes = [
      'stake',
      'freeze',
      'unstake',
      'unfreeze',
      'vote',
      'unvote',
      'delegate',
      'undelegate',
    ];
    for (const w of writes) {
      const accepted = d.paths[`/api/v1/tron/staking/${w}`]!.post!.responses['202']!;
      const schema = accepted.content!['application/json']!.schema as { anyOf?: SchemaDef[] };
      expect(
        schema.anyOf?.map((s) => s.$ref),
        w,
      ).toContain('#/components/schemas/ApprovalPendingDto');
      expect(schema.anyOf, w).toHaveLength(2);
    }
    const pending = d.components.schemas.ApprovalPendingDto!;
    expect(Object.keys(pending.properties!)).toEqual(
      expect.arrayContaining([
        'approval_id',
        'status',
        'required_approvals',
        'expires_at',
        'effect',
      ]),
    );
  });

  it('schemas say what the pipe checks: integers, date-times, address patterns, closed request bodies', async () => {
    const d = await doc();
    const query = (path: string, name: string) =>
      d.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema!;
    expect(query('/api/v1/operations', 'limit').type).toBe('integer');
    expect(query('/api/v1/audit/logs', 'start_date')).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(query('/api/v1/operations', 'address')).toMatchObject({
      pattern: expect.stringContaining('T[1-9A-HJ-NP-Za-km-z]{33}'),
      format: 'tron-address',
    });
    const stake = d.components.schemas.StakeRequestDto!;
    expect(stake.additionalProperties).toBe(false);
    expect(stake.properties!.duration!.type).toBe('integer');
    const idempotencyKey = d.paths['/api/v1/tron/staking/stake']!.post!.parameters!.find(
      (p) => p.name === 'Idempotency-Key',
    )!;
    expect(idempotencyKey.schema!.pattern).toBe('^[A-Za-z0-9_:-]{8,128}$');
    // Answers stay open to new fields.
    expect(d.components.schemas.ErrorResponseDto!.additionalProperties).toBeUndefined();
  });
});

describe('methods and bytes the routes do not take', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp('methods');
  });
  afterAll(async () => t?.close());

  it('a known path with a wrong method answers 405 S138 with Allow; an unknown path 404 S119', async () => {
    const wrong = await t.inject({ method: 'DELETE', url: '/api/v1/tron/staking/stats' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.json().error_code).toBe('S138');
    expect(wrong.headers.allow).toBe('GET, HEAD');
    // The static POST route wins over GET /{staking_id} for the same concrete path.
    const stake = await t.inject({ method: 'PUT', url: '/api/v1/tron/staking/stake' });
    expect([stake.statusCode, stake.headers.allow]).toEqual([405, 'POST']);
    const params = await t.inject({ method: 'PATCH', url: '/api/v1/operations/abc' });
    expect([params.statusCode, params.headers.allow]).toEqual([405, 'GET, HEAD']);
    const missing = await t.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect([missing.statusCode, missing.json().error_code]).toEqual([404, 'S119']);
  });

  it('U+0000 in a query or a body is refused with 400 naming the field, before any lookup', async () => {
    const login = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ad\u0000min', password: 'x' },
    });
    expect(login.statusCode).toBe(400);
    expect(login.json()).toMatchObject({
      error_code: 'S100',
      details: [{ field: 'username' }],
    });
    const query = await t.inject({ method: 'GET', url: '/api/v1/audit/logs?action=a%00b' });
    // Refused before authentication would even be asked for.
    expect([query.statusCode, query.json().details[0].field]).toEqual([400, 'action']);
  });
});
