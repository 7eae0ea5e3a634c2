// Who may call the control API: loopback detection and a constant-time bearer-token check.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 (and its IPv4-mapped form), localhost. Anything else counts as exposed. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.split('.')[0] === '127';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Constant-time compare. Both sides are hashed first so the buffers always have equal length
 * (timingSafeEqual throws otherwise, and a length check alone would leak the token's length).
 */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  const same = timingSafeEqual(digest(given ?? ''), digest(expected));
  return given !== undefined && same;
}

/** The token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
