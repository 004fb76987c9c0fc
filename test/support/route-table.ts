import { routeAccessOf, type RouteAccess } from '@app/auth';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RouteRow {
  method: string;
  path: string;
  controller: string;
  handler: string;
  access: RouteAccess | undefined;
}

const join = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every HTTP route Nest registered, with its declared access, read from the controllers the app
 * actually discovered (so a new controller is in the table without anyone listing it).
 * The app must import DiscoveryModule (pass it in extraImports).
 */
export function routeTable(app: NestFastifyApplication): RouteRow[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const rows: RouteRow[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    const base = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const b of base)
        for (const p of [path].flat())
          rows.push({
            method,
            path: join(b, p),
            controller: controller.name,
            handler: name,
            access: routeAccessOf(reflector, handler, controller),
          });
    }
  }
  return rows.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
