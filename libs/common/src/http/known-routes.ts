import { Injectable } from '@nestjs/common';

interface RoutePattern {
  matches: RegExp;
  methods: Set<string>;
  /** Segments that are parameters or wildcards: the router prefers the route with fewest. */
  variable: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/a/:id/b` → a RegExp for concrete paths; `*` (static files) matches the rest of the path. */
function compile(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) =>
      segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : escape(segment),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Every route the HTTP server registered, by pattern, so an unmatched request can be told
 * apart: a path no route has (404 S119) from a known path with another method (405 S138 with
 * Allow). Fastify's router answers only "no route" and keeps its lookup by concrete path private.
 */
@Injectable()
export class KnownRoutes {
  private readonly routes = new Map<string, RoutePattern>();

  add(methods: string | string[], url: string): void {
    const route = this.routes.get(url) ?? {
      matches: compile(url),
      methods: new Set<string>(),
      variable: url.split('/').filter((s) => s === '*' || s.startsWith(':')).length,
    };
    for (const method of [methods].flat()) route.methods.add(method.toUpperCase());
    // Fastify answers HEAD for every GET route (exposeHeadRoutes).
    if (route.methods.has('GET')) route.methods.add('HEAD');
    this.routes.set(url, route);
  }

  /**
   * The methods of the most specific routes matching this concrete path, sorted; empty when
   * none matches. `/staking/stake` is the static POST route, not an id for `GET /staking/:id`.
   */
  allowedMethods(path: string): string[] {
    const pathname = path.split('?')[0] ?? path;
    const matching = [...this.routes.values()].filter((route) => route.matches.test(pathname));
    if (!matching.length) return [];
    const fewest = Math.min(...matching.map((route) => route.variable));
    const allowed = new Set<string>();
    for (const route of matching)
      if (route.variable === fewest) for (const m of route.methods) allowed.add(m);
    return [...allowed].sort();
  }
}
