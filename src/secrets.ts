// Secrets (tokens, connection strings, header values) are written `env:NAME` in scenarios so they never
// sit in a YAML file or a shell history; they never reach logs, errors, the journal or the report.
import { ConfigError } from './errors';

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * `env:NAME` → the variable's value; anything else is taken literally. A missing or empty variable is a
 * ConfigError naming the scenario path and the variable: an empty token would authorize everyone.
 */
export function resolveSecret(ref: string, path: string, env: NodeJS.ProcessEnv = process.env): string {
  const m = ENV_REF.exec(ref.trim());
  if (ref.startsWith('env:') && !m) throw new ConfigError([`${path}: ${JSON.stringify(ref)} is not a valid env:NAME reference`]);
  if (!m) {
    if (ref.length === 0) throw new ConfigError([`${path}: must not be empty`]);
    return ref;
  }
  const value = env[m[1]];
  if (value === undefined || value === '') throw new ConfigError([`${path}: environment variable ${m[1]} is not set`]);
  return value;
}

/** host:port/db of a connection URL, without user or password; `(unparseable URL)` if it is not one. */
export function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const db = u.pathname && u.pathname !== '/' ? u.pathname : '';
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${db}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Removes every secret string (and its URL-encoded form) from a driver's message before we show it. */
export function scrub(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}
