// Durations as people write them: 250ms, 30s, 5m, 1h, 1.5s, or a plain number of milliseconds.

/** The longest delay a Node timer honours (2^31-1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const m = PATTERN.exec(input.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]]);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Rates like `20/s`, `600/m`; returns events per second. */
export function parseRate(input: string | number): number | undefined {
  if (typeof input === 'number') return input > 0 ? input : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*\/\s*(s|m|h)$/.exec(input.trim());
  if (!m) return undefined;
  const perSecond = Number(m[1]) / (UNIT_MS[m[2]] / 1000);
  return perSecond > 0 ? perSecond : undefined;
}

/** `host:port` → parts; port 0 means "pick a free one". */
export function parseHostPort(input: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(input.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}
