import { ConfigValidationError, validateEnv } from '@app/common';
import { randomUUID } from 'node:crypto';
import { EchoFixtureModule } from './fixtures/echo.module.js';
import { startTestDevnet, type DevnetHandle } from './support/devnet.js';
import { bootTestApp, type TestApp } from './support/test-app.js';

const ADDRESS = 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy';

describe('foundation: service endpoints, errors, request ids (real MongoDB-protocol DB + Redis)', () => {
  let t: TestApp;
  let node: DevnetHandle;

  beforeAll(async () => {
    node = await startTestDevnet('foundation');
    t = await bootTestApp(
      'foundation',
      { TRON_FULL_HOST: node.url },
      { extraImports: [EchoFixtureModule] },
    );
  });
  afterAll(async () => {
    await t?.close();
    await node?.close();
  });

  it('GET / describes the service', async () => {
    const res = await t.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      service: 'tron-staking',
      version: '0.1.0',
      links: { swagger: '/docs' },
    });
  });

  it('GET /health reports every dependency, healthy when all are up', async () => {
    const res = await t.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'healthy',
      service: 'tron-staking',
      service_initialized: true,
    });
    expect(body.checks.mongodb.status).toBe('up');
    expect(body.checks.redis.status).toBe('up');
    expect(body.checks.memory_heap.status).toBe('up');
    expect(body.checks.tron_node).toMatchObject({ status: 'up', circuit: 'closed' });
    expect(body.checks.tron_node.block_number).toBeGreaterThan(0);
    expect(body.staking).toEqual({
      total_staking_records: 0,
      active_staking_records: 0,
      total_staked_trx: 0,
      total_resource_records: 0,
    });
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('GET /health/live and /health/ready answer 200 when dependencies are up', async () => {
    expect((await t.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({
      mongodb: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  it('GET /status reports version, uptime, environment and dependency states', async () => {
    const res = await t.inject({ method: 'GET', url: '/status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: '0.1.0',
      environment: 'test',
      dependencies: { mongodb: 'up', redis: 'up' },
    });
    expect(res.json().uptime_seconds).toBeGreaterThanOrEqual(0);
  });

  it('GET /metrics serves Prometheus text with process metrics and HTTP histograms by route', async () => {
    await t.inject({ method: 'GET', url: '/health/live' });
    const res = await t.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toMatch(
      /http_requests_total\{method="GET",route="\/health\/live",status_code="200"\} \d+/,
    );
    expect(res.body).toContain('http_request_duration_seconds_bucket');
  });

  it('the docs pages load nothing from another origin: every asset they reference is served here', async () => {
    const assetsOf = async (page: string): Promise<string[]> => {
      const res = await t.inject({ method: 'GET', url: page });
      expect(res.statusCode).toBe(200);
      const refs = [...res.body.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      return refs.map((ref) => new URL(ref, `http://service.local${page}`).toString());
    };
    const pages = { '/docs': await assetsOf('/docs'), '/redoc': await assetsOf('/redoc') };
    expect(pages['/redoc']).toContain('http://service.local/redoc/redoc.standalone.js');
    for (const [page, urls] of Object.entries(pages))
      for (const url of urls) {
        const { origin, pathname, search } = new URL(url);
        expect(origin, `${page} references ${url}`).toBe('http://service.local');
        const asset = await t.inject({ method: 'GET', url: pathname + search });
        expect(asset.statusCode, `${page} → ${pathname}`).toBe(200);
      }
    // Swagger UI's initializer script names more assets; and the bundle is real JavaScript.
    const init = await t.inject({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\.[a-z]{2,}\//i);
    const bundle = await t.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' });
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.body.length).toBeGreaterThan(500_000);
    // The CSP names no other origin for scripts, styles, fonts or images.
    const csp = String(
      (await t.inject({ method: 'GET', url: '/redoc' })).headers['content-security-policy'],
    );
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:\/\//);
  });

  it('serves Swagger UI, ReDoc and the OpenAPI document with both security schemes', async () => {
    expect((await t.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    const redoc = await t.inject({ method: 'GET', url: '/redoc' });
    expect(redoc.statusCode).toBe(200);
    expect(redoc.body).toContain('spec-url="/docs-json"');
    const doc = (await t.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/health/live',
        '/health/ready',
        '/status',
        '/metrics',
        '/',
      ]),
    );
  });

  describe('request ids', () => {
    it('makes one when the caller sends none, and returns it', async () => {
      const res = await t.inject({ method: 'GET', url: '/health/live' });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('keeps a well-formed caller id and echoes it in error bodies', async () => {
      const id = `caller-${randomUUID()}`;
      const res = await t.inject({
        method: 'GET',
        url: '/no/such/route',
        headers: { 'x-request-id': id },
      });
      expect(res.headers['x-request-id']).toBe(id);
      expect(res.json().request_id).toBe(id);
    });

    it('replaces a malformed caller id', async () => {
      const res = await t.inject({
        method: 'GET',
        url: '/health/live',
        headers: { 'x-request-id': 'bad id<script>' },
      });
      expect(res.headers['x-request-id']).not.toBe('bad id<script>');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('error answers: one shape, an S-code, the right 4xx, never a 500', () => {
    const expectError = (
      res: { statusCode: number; json(): Record<string, unknown> },
      status: number,
      code: string,
    ) => {
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(body).toMatchObject({ status_code: status, error_code: code });
      expect(typeof body.error).toBe('string');
      expect(Date.parse(String(body.timestamp))).not.toBeNaN();
      expect(body.request_id).toEqual(expect.any(String));
      return body;
    };
    const post = (
      payload: string,
      headers: Record<string, string> = { 'content-type': 'application/json' },
    ) => t.inject({ method: 'POST', url: '/__test__/echo', payload, headers });

    it('unknown route → 404 S119', async () => {
      expectError(await t.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'S119');
    });

    it('malformed JSON → 400 S110', async () => {
      expectError(await post('{"address": '), 400, 'S110');
    });

    it('empty JSON body → 400 S110', async () => {
      expectError(await post(''), 400, 'S110');
    });

    it('unsupported media type → 415 S113', async () => {
      expectError(await post('address=x', { 'content-type': 'text/plain' }), 415, 'S113');
    });

    it('oversized body → 413 S112', async () => {
      const big = JSON.stringify({
        address: ADDRESS,
        count: 1,
        resource: 'ENERGY',
        pad: 'x'.repeat(1_100_000),
      });
      expectError(await post(big), 413, 'S112');
    });

    it('unknown field → 400 S111 naming the field', async () => {
      const body = expectError(
        await post(JSON.stringify({ address: ADDRESS, count: 1, resource: 'ENERGY', extra: 1 })),
        400,
        'S111',
      );
      expect(body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'extra', error_code: 'S111' })]),
      );
    });

    it('a private_key field → 400 S109 saying what to do instead', async () => {
      const body = expectError(
        await post(
          JSON.stringify({
            address: ADDRESS,
            count: 1,
            resource: 'ENERGY',
            private_key: 'ab'.repeat(32),
          }),
        ),
        400,
        'S109',
      );
      expect(String(body.recovery_action)).toContain('mode');
      expect(JSON.stringify(body)).not.toContain('ab'.repeat(32));
    });

    it('wrong types → 400 with the field code (S101 for an address) and every problem listed', async () => {
      const body = expectError(
        await post(JSON.stringify({ address: 42, count: 'one', resource: 'ENERGY' })),
        400,
        'S101',
      );
      const fields = (body.details as { field: string }[]).map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['address', 'count']));
    });

    it('a bad enum → 400 S104', async () => {
      expectError(
        await post(JSON.stringify({ address: ADDRESS, count: 1, resource: 'GOLD' })),
        400,
        'S104',
      );
    });

    it('a valid body passes', async () => {
      const res = await post(JSON.stringify({ address: ADDRESS, count: 2, resource: 'ENERGY' }));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ address: ADDRESS, count: 2, resource: 'ENERGY' });
    });

    it.each([['limit=0'], ['limit=1001'], ['skip=-1'], ['limit=abc']])(
      'out-of-range pagination (%s) → 400 S114',
      async (query) => {
        expectError(await t.inject({ method: 'GET', url: `/__test__/echo?${query}` }), 400, 'S114');
      },
    );

    it('pagination defaults to skip 0, limit 100', async () => {
      const res = await t.inject({ method: 'GET', url: '/__test__/echo' });
      expect(res.json()).toEqual({ skip: 0, limit: 100 });
    });

    it('an unexpected error → 500 S799 with a request id and no internal detail', async () => {
      const body = expectError(
        await t.inject({ method: 'GET', url: '/__test__/echo/boom' }),
        500,
        'S799',
      );
      expect(JSON.stringify(body)).not.toContain('secret-internal-detail');
    });
  });
});

describe('configuration validation', () => {
  it('names every bad or missing variable in one message', () => {
    let error: unknown;
    try {
      validateEnv({ PORT: 'eighty', MONGODB_URI: 'http://wrong', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    for (const variable of ['PORT', 'MONGODB_URI', 'LOG_LEVEL', 'JWT_SECRET'])
      expect(message).toContain(variable);
    expect(message).toContain('JWT_SECRET: is required');
  });

  it('never echoes a bad secret value', () => {
    expect(() => validateEnv({ JWT_SECRET: 'short-secret-value' })).toThrow(/JWT_SECRET/);
    try {
      validateEnv({ JWT_SECRET: 'short-secret-value' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret-value');
    }
  });

  it('stops the real app from booting with a bad environment', async () => {
    await expect(bootTestApp('badenv', { PORT: '70000' })).rejects.toThrow(/PORT/);
  });

  it('requires a keystore master secret in production', () => {
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /KEYSTORE_MASTER_SECRET/,
    );
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the config schema reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { envSchema } = await import('@app/common');
    const documented = [
      ...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm),
    ].map((m) => m[1]);
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('.env.example and the README table are what the env catalog renders (npm run docs:config)', async () => {
    const { readFileSync } = await import('node:fs');
    const prettier = await import('prettier');
    const docs = await import('../libs/common/src/config/env-docs.js');
    expect(readFileSync('.env.example', 'utf8')).toBe(docs.renderEnvExample());
    const readme = readFileSync('README.md', 'utf8');
    const options = await prettier.resolveConfig('README.md');
    const rendered = await prettier.format(
      docs.spliceConfigTable(readme, docs.renderConfigTable()),
      { ...options, filepath: 'README.md' },
    );
    expect(readme).toBe(rendered);
  });

  it('the catalog describes every variable, and JWT_SECRET shows no default it does not have', async () => {
    const { ENV_VARIABLES } = await import('@app/common');
    const docs = await import('../libs/common/src/config/env-docs.js');
    for (const [name, v] of Object.entries(ENV_VARIABLES)) {
      expect(v.description.length, name).toBeGreaterThan(10);
      // A secret's example is a placeholder, never a usable default.
      if (v.sensitive) expect(docs.defaultOf(v) ?? '', name).not.toMatch(/change-me/i);
    }
    expect(docs.isRequired(ENV_VARIABLES.JWT_SECRET)).toBe(true);
    expect(docs.renderConfigTable()).toMatch(/`JWT_SECRET` 🔒 \| required \|/);
  });

  it("the README configuration table: one row per variable, each with the header's cells, 🔒 on exactly the secrets", async () => {
    const { readFileSync } = await import('node:fs');
    const { envSchema, SENSITIVE_ENV_KEYS } = await import('@app/common');
    const lines = readFileSync('README.md', 'utf8').split('\n');
    const start = lines.findIndex((l) => /^\|\s*section\s*\|\s*variable\s*\|/.test(l));
    expect(start).toBeGreaterThan(0);
    const table: string[] = [];
    for (let i = start; i < lines.length && lines[i]!.startsWith('|'); i++) table.push(lines[i]!);
    // Cells split on unescaped pipes.
    const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);
    const width = cells(table[0]!).length;
    expect(width).toBe(4);
    expect(table.filter((row) => cells(row).length !== width)).toEqual([]);
    const rows = table.slice(2).map((row) => cells(row).map((c) => c.trim()));
    const variables = rows.map((r) => /`([A-Z][A-Z0-9_]*)`/.exec(r[1]!)?.[1]);
    expect([...variables].sort()).toEqual(Object.keys(envSchema.shape).sort());
    const locked = rows.filter((r) => r[1]!.includes('🔒')).map((r) => /`(\w+)`/.exec(r[1]!)![1]);
    expect(locked.sort()).toEqual([...SENSITIVE_ENV_KEYS].sort());
    expect(rows.filter((r) => !r[3])).toEqual([]);
  });
});
