import { authRoutes } from './auth-routes.js';
import { cacheRoutes } from './cache-routes.js';
import { cookieRoutes } from './cookie-routes.js';
import { documentRoutes } from './document-routes.js';
import { landingPage } from './documents.js';
import { echoRoutes } from './echo-routes.js';
import { redirectRoutes } from './redirect-routes.js';
import type { Route } from './router.js';
import { statusRoutes } from './status-routes.js';
import { streamRoutes } from './stream-routes.js';

/** Every httpbin view this server offers, grouped by family. */
export function httpbinRoutes(): readonly Route[] {
  const routes: Route[] = [];
  const index = (): string => landingPage(routes.filter((route) => route.rule !== '/').map((route) => route.rule));
  routes.push(
    ...echoRoutes,
    ...statusRoutes,
    ...redirectRoutes,
    ...authRoutes,
    ...cookieRoutes,
    ...cacheRoutes,
    ...streamRoutes,
    ...documentRoutes(index),
  );
  return routes;
}
