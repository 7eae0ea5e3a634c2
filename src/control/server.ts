// The control API on its own port, loopback by default. Refuses to be exposed without a token.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gauge, Registry } from 'prom-client';
import type { HaltSwitch } from '../chaos/halt';
import { ConfigError, messageOf } from '../errors';
import type { Logger } from '../log';
import { parseHostPort } from '../scenario/durations';
import { createControlApp } from './app';
import { isLoopbackHost } from './auth';
import { MIN_TOKEN_LENGTH } from '../scenario/schema';

export interface ControlOptions {
  /** HOST:PORT, port 0 allowed; default 127.0.0.1:0. */
  listen?: string;
  /** Already resolved (see resolveSecret); required when the host is not loopback. */
  token?: string;
  halt: HaltSwitch;
  /** From createMetrics().registry; its doubletap_halted gauge is kept in sync with the switch. */
  registry: Registry;
  /** JSON snapshot supplied by the caller (phase, counts, pending…). */
  status: () => unknown;
  /** /healthz: 200 `ok` unless this says otherwise (503 with the detail). Default: always ok. */
  health?: () => { ok: boolean; detail: string };
  logger: Logger;
  /** Runs once when POST /halt flips the switch (not for halts from elsewhere). */
  onHalt?: (reason: string) => void;
  /** More routes behind the same auth (see ControlAppOptions.routes). */
  routes?: import('express').Router;
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_CONTROL_LISTEN = '127.0.0.1:0';

export async function startControlServer(o: ControlOptions): Promise<ControlServer> {
  const listen = o.listen ?? DEFAULT_CONTROL_LISTEN;
  const hp = parseHostPort(listen);
  if (!hp) throw new ConfigError([`control.listen: ${JSON.stringify(listen)} must be HOST:PORT`]);
  // An empty token would let everyone in; a short one can be guessed.
  if (o.token !== undefined && o.token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError([`control.token: must be at least ${MIN_TOKEN_LENGTH} characters (got ${o.token.length})`]);
  }
  const exposed = !isLoopbackHost(hp.host);
  if (exposed && o.token === undefined) {
    throw new ConfigError([`control.listen: ${listen} is not loopback; set control.token (e.g. env:DOUBLETAP_TOKEN) or listen on 127.0.0.1`]);
  }

  const unsync = syncHaltedGauge(o.halt, o.registry);
  const app = createControlApp({ ...o, exposed });
  const server = createServer(app);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(hp.port, hp.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    unsync();
    throw new ConfigError([`control.listen: cannot listen on ${listen}: ${messageOf(err)}`]);
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  o.logger.info('control API listening', { url, auth: o.token !== undefined });

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsync();
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open until they time out.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}

/** doubletap_halted follows the switch whoever flips it (control API, stop condition, signal). */
function syncHaltedGauge(halt: HaltSwitch, registry: Registry): () => void {
  const gauge = registry.getSingleMetric('doubletap_halted') as Gauge | undefined;
  if (!gauge || typeof gauge.set !== 'function') return () => {};
  const update = (): void => gauge.set(halt.halted ? 1 : 0);
  update();
  halt.on('halt', update);
  halt.on('resume', update);
  return () => {
    halt.off('halt', update);
    halt.off('resume', update);
  };
}
