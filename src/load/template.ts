// JSON body templates for built-in traffic (HTTP and Kafka): {{seq}}, {{int MIN MAX}}, {{uuid}},
// {{pick a b c}}. Every draw comes from the caller's seeded rng, so a seed fixes every body.
import { ConfigError } from '../errors';

export interface TemplateContext {
  /** The logical operation's sequence number (0-based). */
  seq: number;
  /** Seeded generator (rngFor from src/chaos/decide.ts): the only source of randomness here. */
  rng: () => number;
}

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/**
 * Renders a template: objects and arrays are walked in order (so the rng is drawn in a stable order),
 * strings have their tokens replaced. A string that is exactly one {{int …}} or {{seq}} becomes a
 * number, so `amount_cents: "{{int 100 5000}}"` sends a JSON number.
 */
export function renderTemplate(template: unknown, ctx: TemplateContext): unknown {
  if (typeof template === 'string') return renderString(template, ctx);
  if (Array.isArray(template)) return template.map((t) => renderTemplate(t, ctx));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) out[k] = renderTemplate(v, ctx);
    return out;
  }
  return template;
}

function renderString(s: string, ctx: TemplateContext): unknown {
  const whole = WHOLE.exec(s);
  if (whole) {
    const value = evalToken(whole[1], ctx);
    const verb = whole[1].split(/\s+/)[0];
    return verb === 'int' || verb === 'seq' ? Number(value) : value;
  }
  return s.replace(TOKEN, (_m, expr: string) => evalToken(expr, ctx));
}

function evalToken(expr: string, ctx: TemplateContext): string {
  const [verb, ...args] = expr.split(/\s+/).filter((p) => p !== '');
  switch (verb) {
    case 'seq':
      return String(ctx.seq);
    case 'int': {
      const min = Number(args[0]);
      const max = Number(args[1]);
      if (args.length !== 2 || !Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new ConfigError([`template: {{int MIN MAX}} needs two integers with MIN ≤ MAX (got "{{${expr}}}")`]);
      }
      return String(min + Math.floor(ctx.rng() * (max - min + 1)));
    }
    case 'uuid':
      return seededUuid(ctx.rng);
    case 'pick':
      if (args.length === 0) throw new ConfigError([`template: {{pick …}} needs at least one choice`]);
      return args[Math.min(args.length - 1, Math.floor(ctx.rng() * args.length))];
    default:
      throw new ConfigError([`template: unknown token "{{${expr}}}" (use seq, int, uuid, pick)`]);
  }
}

/** A version-4-shaped UUID drawn from the seeded rng (not cryptographically random, on purpose). */
export function seededUuid(rng: () => number): string {
  const b: number[] = [];
  for (let i = 0; i < 16; i++) b.push(Math.floor(rng() * 256) & 0xff);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Throws a ConfigError now (before a run) if a template has a bad token; draws from a fixed rng. */
export function checkTemplate(template: unknown): void {
  renderTemplate(template, { seq: 0, rng: () => 0.5 });
}
