import { ErrorCatalog, ErrorResponseDto, SecurityPolicy } from '@app/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { closeRequestSchemas } from './closed-request-schemas.js';
import { declareErrorResponses } from './error-responses.js';
import { alignSchemasWithValidation } from './schema-from-validation.js';

export const BEARER_AUTH = 'bearer';
export const API_KEY_AUTH = 'api-key';

/** Where /redoc loads its bundle from: this service, never a CDN. */
export const REDOC_BUNDLE_PATH = '/redoc/redoc.standalone.js';

/** Swagger UI at /docs, the OpenAPI JSON at /docs-json, ReDoc at /redoc. */
export function setupApiDocs(app: NestFastifyApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('TRON Staking Service')
    .setDescription(
      "Stake 2.0 operations for a platform's own TRX: freeze and unfreeze, vote for Super Representatives, delegate energy and bandwidth (with top-up policies), claim rewards and withdraw, " +
        'guarded by roles, per-role limits and idempotent writes, with a tamper-evident audit trail. ' +
        'Amounts on the wire are TRX (at most 6 decimals); every error answer carries an S-code from the error catalog. ' +
        'Not built yet: compliance screening (KYC/AML) and approvals; the policy file holds their thresholds.',
    )
    .setVersion(version)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Access token from POST /api/v1/auth/login.',
      },
      BEARER_AUTH,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'Service API key created by an admin.',
      },
      API_KEY_AUTH,
    )
    .build();
  alignSchemasWithValidation();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  closeRequestSchemas(document);
  declareErrorResponses(
    document,
    app.get(ErrorCatalog),
    app.get(SecurityPolicy).file.rate_limiting.exempt_paths,
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'TRON Staking Service API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });

  // ReDoc renders in the browser from the installed redoc@2 standalone bundle (redoc@3 does not
  // install from the registry here), served by this service so the page works offline.
  const redocBundle = readFileSync(
    createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'),
  );
  const redocPage = `<!doctype html><html><head><title>TRON Staking Service API</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/docs-json"></redoc>
<script src="${REDOC_BUNDLE_PATH}"></script></body></html>`;
  const http = app.getHttpAdapter().getInstance();
  http.get('/redoc', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(redocPage);
  });
  http.get(REDOC_BUNDLE_PATH, (_req, reply) => {
    void reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(redocBundle);
  });
}
