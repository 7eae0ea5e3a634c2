// `probes:` read the system's own books; `invariants:` relate their deltas to doubletap's counts.
import { z } from 'zod';
import { duration, secretRef } from './schema-common';

const timeout = duration.default(5000);

/**
 * A keyed probe reads the books for exactly the identity keys this run counted, once after settle (its
 * "before" is 0: the keys are this run's operations). SQL binds them as one array parameter ($1 on
 * PostgreSQL as text[], `IN (?)` on MySQL); HTTP POSTs `{"keys": [...]}`. Other writers on the same
 * tables cannot move it, which is what makes live traffic and production runs reconcilable.
 */
export const probeKeys = z.strictObject({
  rule: z.string().min(1).describe('the rule whose identity keys are bound'),
  of: z.enum(['ops', 'picked']).default('ops').describe('ops: every operation counted in the window; picked: only those picked for a fault (compare with picked(rule))'),
});
export type ProbeKeys = z.output<typeof probeKeys>;

export const sqlProbe = z.strictObject({
  sql: z.string().min(1).describe('one read-only query returning a single number'),
  url: secretRef.describe('connection string, usually env:DATABASE_URL; postgres:// or mysql://'),
  keys: probeKeys.optional().describe('keyed probe: bind the run\'s keys as $1 (PostgreSQL text[]) or ? (MySQL list)'),
  timeout,
});
export const httpProbe = z.strictObject({
  http: z.url({ message: 'must be a URL' }),
  path: z.string().default('').describe('dot path to the number in the JSON response (empty: the body is the number)'),
  headers: z.record(z.string(), secretRef).default({}),
  keys: probeKeys.optional().describe('keyed probe: POST {"keys": [...]} instead of GET'),
  timeout,
});
export const prometheusProbe = z.strictObject({
  prometheus: z.string().min(1).describe('PromQL instant query returning one sample'),
  url: z.url({ message: 'must be the Prometheus base URL' }),
  timeout,
});
export const probe = z.union([sqlProbe, httpProbe, prometheusProbe]);
export type SqlProbe = z.output<typeof sqlProbe>;
export type HttpProbe = z.output<typeof httpProbe>;
export type PrometheusProbe = z.output<typeof prometheusProbe>;
export type ProbeSpec = z.output<typeof probe>;

/**
 * Expressions use numbers, + - * /, parentheses and doubletap's counts:
 * ops(rule|relay), picked(rule), originals(rule|relay), copies(rule|relay[, outcome]).
 */
const expression = z.union([z.string().min(1), z.number()]).transform(String);

export const invariant = z
  .strictObject({
    name: z.string().optional(),
    probe: z.string().min(1),
    grows_by: expression.optional(),
    grows_at_least: expression.optional(),
    grows_at_most: expression.optional(),
    unchanged: z.literal(true).optional(),
  })
  .refine(
    (i) => [i.grows_by, i.grows_at_least, i.grows_at_most, i.unchanged].filter((x) => x !== undefined).length === 1,
    { message: 'needs exactly one of grows_by, grows_at_least, grows_at_most, unchanged' },
  );
export type Invariant = z.output<typeof invariant>;
