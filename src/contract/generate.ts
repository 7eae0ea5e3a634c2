// A small seeded generator of JSON values that satisfy a JSON Schema (OpenAPI 3.0/3.1 dialect):
// $ref already resolved, allOf merged, oneOf/anyOf one branch, required always, optional sometimes,
// enums, consts, formats, bounds. json-schema-faker was considered; its randomness is global state
// (one `random` option for the process), so two generators could not run side by side reproducibly.
import seedrandom from 'seedrandom';
import { ConfigError } from '../errors';
import { joinPointer } from './json-pointer';
import type { JsonSchema } from './types';

export type Rng = () => number;

export function rngFor(...parts: Array<string | number>): Rng {
  return seedrandom(parts.join('\u0000'));
}

const MAX_DEPTH = 8;

/** A value valid against `schema`; throws ConfigError naming the pointer when one cannot be made. */
export function generate(schema: JsonSchema, rng: Rng, pointer: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new ConfigError([`${pointer}: schema nests deeper than ${MAX_DEPTH} levels (circular?); give an example`]);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return pick(schema.enum.filter((v) => v !== null), rng, pointer);
  const example = exampleOf(schema);
  if (example !== undefined && rng() < 0.5) return example;
  if (Array.isArray(schema.allOf)) return generate(mergeAllOf(schema), rng, pointer, depth + 1);
  for (const k of ['oneOf', 'anyOf'] as const) {
    const list = schema[k];
    if (Array.isArray(list) && list.length) {
      const i = Math.floor(rng() * list.length);
      const { [k]: _drop, ...rest } = schema;
      return generate(mergeAllOf({ allOf: [rest, list[i]] }), rng, joinPointer(pointer, k, i), depth + 1);
    }
  }
  switch (typeOf(schema)) {
    case 'object': return object(schema, rng, pointer, depth);
    case 'array': return array(schema, rng, pointer, depth);
    case 'integer': return number(schema, rng, true);
    case 'number': return number(schema, rng, false);
    case 'boolean': return rng() < 0.5;
    case 'null': return null;
    default: return string(schema, rng, pointer, example);
  }
}

function exampleOf(s: JsonSchema): unknown {
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  return s.default;
}

function typeOf(s: JsonSchema): string {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (typeof t === 'string') return t;
  if (s.properties || s.required) return 'object';
  if (s.items) return 'array';
  return 'string';
}

/** allOf as one schema: properties and required united, other keywords (bounds, type) from the last. */
export function mergeAllOf(s: JsonSchema): JsonSchema {
  const parts = [s, ...((s.allOf as JsonSchema[]) ?? [])].map((p) => (Array.isArray(p.allOf) && p !== s ? mergeAllOf(p) : p));
  const out: JsonSchema = {};
  const required = new Set<string>();
  for (const p of parts) {
    const { allOf: _a, properties, required: req, ...rest } = p;
    Object.assign(out, rest);
    if (properties) out.properties = { ...(out.properties as object), ...(properties as object) };
    for (const r of (req as string[]) ?? []) required.add(r);
  }
  if (required.size) out.required = [...required];
  return out;
}

function object(s: JsonSchema, rng: Rng, pointer: string, depth: number): Record<string, unknown> {
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[]) ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(props)) {
    if (sub.readOnly === true) continue; // readOnly fields belong to responses
    if (!required.has(name) && rng() < 0.5) continue;
    out[name] = generate(sub, rng, joinPointer(pointer, 'properties', name), depth + 1);
  }
  for (const name of required) {
    if (!(name in out) && !(props[name]?.readOnly === true)) out[name] = generate(props[name] ?? {}, rng, joinPointer(pointer, 'properties', name), depth + 1);
  }
  return out;
}

function array(s: JsonSchema, rng: Rng, pointer: string, depth: number): unknown[] {
  const min = Number(s.minItems ?? 1);
  const max = Math.max(min, Math.min(Number(s.maxItems ?? min + 2), min + 2));
  const n = min + Math.floor(rng() * (max - min + 1));
  const items = (s.items ?? {}) as JsonSchema;
  const out: unknown[] = [];
  for (let tries = 0; out.length < n && tries < n * 10; tries++) {
    const v = generate(items, rng, joinPointer(pointer, 'items'), depth + 1);
    if (s.uniqueItems === true && out.some((x) => JSON.stringify(x) === JSON.stringify(v))) continue;
    out.push(v);
  }
  if (out.length < min) throw new ConfigError([`${pointer}: cannot make ${min} unique items; give an example`]);
  return out;
}

function number(s: JsonSchema, rng: Rng, integer: boolean): number {
  // 3.0 has boolean exclusiveMinimum/Maximum next to minimum/maximum; 3.1 has numbers.
  let lo = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : Number(s.minimum ?? 1);
  let hi = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : Number(s.maximum ?? Math.max(lo, 0) + 10_000);
  const step = Number(s.multipleOf ?? (integer ? 1 : 0.01));
  if (s.exclusiveMinimum === true || typeof s.exclusiveMinimum === 'number') lo += step;
  if (s.exclusiveMaximum === true || typeof s.exclusiveMaximum === 'number') hi -= step;
  const first = Math.ceil(lo / step);
  const last = Math.floor(hi / step);
  const k = first + Math.floor(rng() * Math.max(1, last - first + 1));
  return Number((k * step).toFixed(10));
}

const FORMATS: Record<string, (rng: Rng) => string> = {
  'date-time': (r) => new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 3e10)).toISOString().replace(/\.\d+Z$/, 'Z'),
  date: (r) => new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 3e10)).toISOString().slice(0, 10),
  time: (r) => new Date(Math.floor(r() * 86_400_000)).toISOString().slice(11, 19) + 'Z',
  email: (r) => `user${word(r, 6)}@example.com`,
  uuid: (r) => hex(r, 8) + '-' + hex(r, 4) + '-4' + hex(r, 3) + '-' + '89ab'[Math.floor(r() * 4)] + hex(r, 3) + '-' + hex(r, 12),
  uri: (r) => `https://example.com/${word(r, 8)}`,
  url: (r) => `https://example.com/${word(r, 8)}`,
  hostname: (r) => `${word(r, 8)}.example.com`,
  ipv4: (r) => [0, 0, 0, 0].map(() => 1 + Math.floor(r() * 250)).join('.'),
  ipv6: (r) => [0, 0, 0, 0, 0, 0, 0, 0].map(() => hex(r, 4)).join(':'),
  byte: (r) => Buffer.from(word(r, 9)).toString('base64'),
};

function string(s: JsonSchema, rng: Rng, pointer: string, example: unknown): string {
  const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
  if (format) return format(rng);
  if (typeof s.pattern === 'string') {
    if (typeof example === 'string') return example;
    throw new ConfigError([`${pointer}: pattern ${s.pattern} is not generated; give the schema an example`]);
  }
  const min = Number(s.minLength ?? 1);
  const max = Math.max(min, Math.min(Number(s.maxLength ?? min + 11), min + 11));
  return word(rng, min + Math.floor(rng() * (max - min + 1)));
}

function word(rng: Rng, n: number): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < n; i++) out += abc[Math.floor(rng() * abc.length)];
  return out;
}

function hex(rng: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

function pick<T>(list: T[], rng: Rng, pointer: string): T {
  if (list.length === 0) throw new ConfigError([`${pointer}: enum has no usable value`]);
  return list[Math.floor(rng() * list.length)];
}
