// The control API's routes: status, halt, resume, metrics, healthz. No listening here (see server.ts).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { HaltSwitch } from '../chaos/halt';
import { AuthError, ConfigError, DoubletapError, httpStatusFor, messageOf } from '../errors';
import type { Logger } from '../log';
import { bearerToken, tokenMatches } from './auth';
import { browserGuard, ForbiddenError } from './browser-guard';

export interface ControlAppOptions {
  token?: string;
  /** Off loopback every route but /healthz needs the token; on loopback only POSTs do. */
  exposed: boolean;
  halt: HaltSwitch;
  registry: Registry;
  status: () => unknown;
  health?: () => { ok: boolean; detail: string };
  logger: Logger;
  onHalt?: (reason: string) => void;
  /** More routes behind the same auth and JSON parsing (a standing proxy's arming routes). */
  routes?: express.Router;
}

export function createControlApp(o: ControlAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const requireToken = (req: Request, _res: Response, next: NextFunction): void => {
    const needed = o.token !== undefined && (req.method !== 'GET' || o.exposed);
    if (needed && !tokenMatches(bearerToken(req.get('authorization')), o.token as string)) {
      // Never log the header itself: a wrong token is often a right token for something else.
      o.logger.warn('control API: unauthorized request', { method: req.method, path: req.path });
      next(new AuthError());
      return;
    }
    next();
  };

  app.get('/healthz', (_req, res) => {
    const h = o.health?.() ?? { ok: true, detail: 'ok' };
    res.status(h.ok ? 200 : 503).type('text/plain').send(h.detail);
  });

  app.use(requireToken);
  app.use(browserGuard(o.token));
  app.use(express.json({ limit: '16kb' }));

  app.get('/status', (_req, res) => {
    const snapshot = o.status();
    const base = snapshot !== null && typeof snapshot === 'object' && !Array.isArray(snapshot) ? snapshot : { status: snapshot };
    res.json({ ...base, halted: o.halt.halted, haltReason: o.halt.reason ?? null });
  });

  app.post('/halt', (req, res) => {
    const reason = reasonFrom(req.body);
    const wasHalted = o.halt.halted;
    // Synchronous on purpose: the switch's listeners cancel every pending copy before we answer,
    // so "no copy leaves after POST /halt returns" holds for every proxy and relay on this switch.
    o.halt.halt(reason);
    if (!wasHalted) {
      o.logger.warn('halted via control API', { reason });
      o.onHalt?.(reason);
    }
    res.json({ halted: true, reason: o.halt.reason ?? reason });
  });

  app.post('/resume', (_req, res) => {
    const wasHalted = o.halt.halted;
    o.halt.resume();
    if (wasHalted) o.logger.warn('resumed via control API');
    res.json({ halted: o.halt.halted });
  });

  if (o.routes) app.use(o.routes);

  app.get('/metrics', async (_req, res) => {
    const text = await o.registry.metrics();
    res.set('Content-Type', o.registry.contentType).send(text);
  });

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) o.logger.error('control API error', { error: messageOf(err) });
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    if (status === 403) o.logger.warn('control API: refused a request', { method: _req.method, path: _req.path, reason: messageOf(err) });
    res.status(status).json(body);
  });

  return app;
}

function reasonFrom(body: unknown): string {
  if (body === undefined || body === null) return 'halted via control API';
  if (typeof body !== 'object' || Array.isArray(body)) throw new ConfigError(['body: must be a JSON object']);
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined) return 'halted via control API';
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > 500) {
    throw new ConfigError(['reason: must be a non-empty string of at most 500 characters']);
  }
  return reason;
}

/** One translation point: DoubletapErrors via httpStatusFor(), body-parser's 4xx kept, the rest 500. */
export function errorResponse(err: unknown): { status: number; body: { error: string; message: string } } {
  if (err instanceof DoubletapError) return { status: httpStatusFor(err), body: { error: err.code, message: err.message } };
  if (err instanceof ForbiddenError) return { status: 403, body: { error: 'FORBIDDEN', message: err.message } };
  const parserStatus = (err as { status?: unknown; type?: unknown })?.status;
  if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
    const type = (err as { type?: unknown }).type;
    const message = type === 'entity.parse.failed' ? 'body is not valid JSON' : messageOf(err);
    return { status: parserStatus, body: { error: parserStatus === 413 ? 'TOO_LARGE' : 'BAD_REQUEST', message } };
  }
  return { status: 500, body: { error: 'INTERNAL', message: 'internal error (see the doubletap log)' } };
}
