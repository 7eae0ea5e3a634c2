// The upstream: its address, the originals' keep-alive pools (forward.ts: undici for ordinary requests,
// node:http for those undici cannot carry unchanged) and an undici Pool for copies (doubletap's own
// client traffic, in a pool of its own so copies never queue in front of an original). HTTPS
// certificates are verified unless `insecure`.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';
import { Pool } from 'undici';
import { ConfigError, messageOf } from '../errors';
import type { HttpSection } from '../scenario/schema-http';

export interface Upstream {
  url: URL;
  /** `http://host:port`, for error messages and logs. */
  origin: string;
  secure: boolean;
  /** Path prefix of the upstream URL ('' for none), prepended to every request path. */
  basePath: string;
  /** Originals undici carries unchanged (forward-undici.ts): cheaper per request than node:http. */
  originalsPool: Pool;
  /** Originals that stream, or that undici would alter or refuse (forward.ts `fitsUndici`). */
  originals: http.Agent;
  /** Copies: keep-alive, no timeouts of its own (the copy sender keeps one overall timeout). */
  copies: Pool;
  /** WebSocket upgrades: a fresh connection each (an upgraded socket leaves any pool anyway). */
  upgrades: http.Agent;
  close(): void;
}

export function createUpstream(section: Pick<HttpSection, 'upstream' | 'ca' | 'insecure'>): Upstream {
  const url = new URL(section.upstream);
  const secure = url.protocol === 'https:';
  let ca: Buffer | undefined;
  if (section.ca) {
    try {
      ca = readFileSync(section.ca);
    } catch (err) {
      throw new ConfigError([`http.ca: cannot read ${section.ca} (${messageOf(err)})`]);
    }
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  // One TLS policy for originals and copies: verify against the upstream's name, never the client's
  // Host header (which names the proxy).
  const tlsOptions = {
    ...(ca ? { ca: [...tls.rootCertificates, ca.toString('utf8')] } : {}),
    rejectUnauthorized: !section.insecure,
    ...(isIP(hostname) ? {} : { servername: hostname }),
    checkServerIdentity: (_host: string, cert: PeerCertificate) => tls.checkServerIdentity(hostname, cert),
  };
  const make = (keepAlive = true): http.Agent => {
    if (!secure) return new http.Agent({ keepAlive, maxSockets: 256, scheduling: 'lifo' });
    // Agent options win over request options.
    return new https.Agent({ keepAlive, maxSockets: 256, scheduling: 'lifo', ...tlsOptions });
  };
  const originals = make();
  const upgrades = make(false);
  // No timeouts of undici's own: an original waits for its upstream as long as the client does (as
  // on node:http), and a copy only for the copy sender's overall timeout (copyTimeout): undici's
  // header/body timeouts and its 10 s connect timeout would end some earlier with other errors.
  const pool = (): Pool =>
    new Pool(`${url.protocol}//${url.host}`, { connections: 256, headersTimeout: 0, bodyTimeout: 0, connect: { timeout: 0, ...(secure ? tlsOptions : {}) } });
  const originalsPool = pool();
  const copies = pool();
  const basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return {
    url,
    origin: `${url.protocol}//${url.host}`,
    secure,
    basePath,
    originalsPool,
    originals,
    copies,
    upgrades,
    close() {
      originals.destroy();
      originalsPool.destroy().catch(() => undefined);
      // Copies still in flight were already journaled by the scheduler's cancelAll(): cut them off.
      copies.destroy().catch(() => undefined);
      upgrades.destroy();
    },
  };
}

/**
 * Hop-by-hop request headers (RFC 9110 §7.6.1) that belong to one connection, never forwarded.
 * `Trailer` is end-to-end (it announces the trailer fields after a chunked body): forwarded.
 */
const HOP_BY_HOP = ['keep-alive', 'proxy-connection', 'te', 'upgrade', 'proxy-authorization', 'http2-settings'];

/** What a request means, whoever the client says is hop-by-hop: never removed because Connection names it. */
const END_TO_END = new Set(['content-length', 'transfer-encoding', 'host', 'content-type', 'authorization', 'cookie']);

/**
 * Remove hop-by-hop request headers in place, and the ones the client's Connection header names —
 * except the request's meaning and its identity: `Connection: idempotency-key` would strip the key
 * from the original and its copies while the journal records it. Returns the client's Connection
 * value without those names (kept out of the upstream request, restored for the reply).
 * Cheap when there is nothing to do: a handful of property reads.
 */
export function stripHopByHop(headers: http.IncomingHttpHeaders, identityHeader: string): string | undefined {
  let connection = headers.connection;
  if (typeof connection === 'string') {
    const kept: string[] = [];
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (END_TO_END.has(name) || name === identityHeader) continue;
      kept.push(token);
      if (name) delete headers[name];
    }
    connection = kept.join(',');
    delete headers.connection;
  }
  for (const name of HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
  return connection;
}

/** The upstream's connection management on an answer, never the client's. */
export const RESPONSE_HOP_BY_HOP: readonly string[] = ['connection', 'keep-alive', 'proxy-connection'];

/** Response side: the upstream's connection management is not the client's. */
export function stripResponseHopByHop(headers: http.IncomingHttpHeaders): void {
  for (const name of RESPONSE_HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
}
