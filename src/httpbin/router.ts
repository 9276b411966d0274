import type { HttpbinRequest } from './httpbin-request.js';
import type { Reply } from './reply.js';

export interface RouteContext {
  request: HttpbinRequest;
  /** Path parameters, percent-decoded, named as in the rule. */
  params: Readonly<Record<string, string>>;
  /** A timer that ends early when the client disconnects (for /delay). */
  sleep(ms: number): Promise<void>;
}

/** One httpbin view. */
export interface Route {
  /** werkzeug rule syntax: `<name>` is one segment, `<int:name>` digits, `<path:name>` the rest. */
  rule: string;
  /** The methods httpbin declares; as in Flask, GET implies HEAD and every route answers OPTIONS. */
  methods: readonly string[];
  /** Only these routes buffer the request body; the others drain it unread, without a size cap. */
  readsBody?: boolean;
  handle(context: RouteContext): Reply | Promise<Reply>;
}

/** Methods of httpbin's "any method" views (/anything, /status, /delay, /redirect-to). */
export const ANY_METHOD = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE'] as const;

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'options'; allowed: string[] }
  | { kind: 'not-found' };

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
  allowed: Set<string>;
}

/** A route table matched like werkzeug's Map: exact path match (no trailing-slash leniency), then method. */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compileRoute);
  }

  match(method: string, path: string): RouteMatch {
    for (const entry of this.compiled) {
      const match = entry.pattern.exec(path);
      if (!match) continue;
      const allowed = [...entry.allowed].sort();
      if (method === 'OPTIONS') return { kind: 'options', allowed };
      if (!entry.allowed.has(method)) return { kind: 'method-not-allowed', allowed };
      const params: Record<string, string> = {};
      entry.names.forEach((name, i) => (params[name] = match[i + 1] as string));
      return { kind: 'found', route: entry.route, params };
    }
    return { kind: 'not-found' };
  }
}

function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<(?:(\w+):)?(\w+)>/g, (_, converter: string | undefined, name: string) => {
    names.push(name);
    if (converter === 'int') return '([0-9]+)';
    if (converter === 'path') return '([^/][\\s\\S]*?)';
    return '([^/]+)';
  });
  const allowed = new Set<string>([...route.methods, 'OPTIONS']);
  if (allowed.has('GET')) allowed.add('HEAD');
  return { route, pattern: new RegExp('^' + source + '$'), names, allowed };
}
