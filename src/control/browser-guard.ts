// What keeps a web page out of the control API. A page can send "simple" cross-origin requests
// (POST with text/plain, no preflight) and, by DNS rebinding, make its own name resolve to 127.0.0.1.
// So: a request a browser marks with a foreign Origin is refused, a POST must say it is JSON (which
// no simple request can), and without a valid token only loopback Host names are answered.
import type { NextFunction, Request, Response } from 'express';
import { bearerToken, isLoopbackHost, tokenMatches } from './auth';

export class ForbiddenError extends Error {
  readonly status = 403;
}

/** Host name of a Host header or an Origin URL, without port or brackets; undefined if unparseable. */
function hostnameOf(value: string, scheme = false): string | undefined {
  try {
    return new URL(scheme ? value : `http://${value}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** Returns the refusal for a request, or undefined when it may proceed. */
export function browserRefusal(req: Pick<Request, 'method' | 'get'>, token: string | undefined): string | undefined {
  const host = req.get('host') ?? '';
  const origin = req.get('origin');
  // Same-origin pages (a dashboard served here) are fine; anything else a browser names is not.
  if (origin !== undefined && (origin === 'null' || hostnameOf(origin, true) === undefined || new URL(origin).host !== host)) {
    return `cross-origin request from ${origin.slice(0, 100)} refused`;
  }
  if (req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(req.get('content-type') ?? '')) {
    return 'POST needs Content-Type: application/json';
  }
  const authenticated = token !== undefined && tokenMatches(bearerToken(req.get('authorization')), token);
  const name = hostnameOf(host);
  if (!authenticated && (name === undefined || !isLoopbackHost(name))) {
    return `Host ${host.slice(0, 100)} is not a loopback name; a token is needed for any other`;
  }
  return undefined;
}

export function browserGuard(token: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const refusal = browserRefusal(req, token);
    next(refusal === undefined ? undefined : new ForbiddenError(refusal));
  };
}
