import Fastify, { type FastifyInstance } from 'fastify';
import type { DevnetRuntime } from '../runtime.js';
import { registerBroadcastRoutes } from './broadcast.routes.js';
import { registerBuilderRoutes } from './builder.routes.js';
import { registerControlRoutes } from './control.routes.js';
import { FaultRegistry } from './faults.js';
import { HttpError } from './request.js';
import { sendJson } from './route.js';
import { registerWalletRoutes } from './wallet.routes.js';

export function buildServer(rt: DevnetRuntime, faults = new FaultRegistry()): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });

  // java-tron reads every body as text and parses it as JSON whatever the content type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, payload, done) =>
    done(null, payload),
  );

  app.addHook('onRequest', (req, reply, done) => {
    if (faults.size === 0 || req.url.startsWith('/devnet/')) return done();
    const path = req.url.split('?', 1)[0];
    const fault = faults.take(path);
    if (!fault) return done();
    rt.log({ event: 'fault', path, mode: fault.mode });
    if (fault.mode === 'error') {
      reply.code(fault.status);
      sendJson(reply, { Error: `tron-devnet injected fault on ${path}` });
      return;
    }
    if (fault.mode === 'drop') {
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    setTimeout(done, fault.delayMs);
  });

  // Like a java-tron servlet, bad input is answered with HTTP 200 and {"Error": ...}.
  app.setErrorHandler((err, _req, reply) => {
    const message =
      err instanceof HttpError
        ? err.message
        : `class java.lang.IllegalArgumentException : ${err instanceof Error ? err.message : String(err)}`;
    reply.code(200);
    sendJson(reply, { Error: message });
  });

  registerWalletRoutes(app, rt);
  registerBuilderRoutes(app, rt);
  registerBroadcastRoutes(app, rt, faults);
  registerControlRoutes(app, rt, faults);
  return app;
}
