// `probes:` read the system's own books; `invariants:` relate their deltas to doubletap's counts.
import { z } from 'zod';
import { duration, secretRef } from './schema-common';

const timeout = duration.default(5000);

export const sqlProbe = z.strictObject({
  sql: z.string().min(1).describe('one read-only query returning a single number'),
  url: secretRef.describe('connection string, usually env:DATABASE_URL; postgres:// or mysql://'),
  timeout,
});
export const httpProbe = z.strictObject({
  http: z.url({ message: 'must be a URL' }),
  path: z.string().default('').describe('dot path to the number in the JSON response (empty: the body is the number)'),
  headers: z.record(z.string(), secretRef).default({}),
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
 * ops(rule|relay), originals(rule|relay), copies(rule|relay[, outcome]).
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
