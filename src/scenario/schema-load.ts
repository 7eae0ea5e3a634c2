// `load:` built-in traffic for runs without real clients.
import { z } from 'zod';
import { duration, rate } from './schema-common';

// YAML reads `409` as a number; accept it either way.
const retryOn = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.enum(['5xx', 'timeout', 'reset', '409', '429'], { message: 'must be one of 5xx, timeout, reset, 409, 429' }));

export const retryPolicy = z.strictObject({
  attempts: z.number().int().min(1).max(20).default(4),
  on: z.array(retryOn).default(['5xx', 'timeout', 'reset', '409']),
  backoff: z
    .strictObject({ base: duration.default(100), max: duration.default(2000), jitter: z.enum(['full', 'none']).default('full') })
    .refine((b) => b.base <= b.max, { message: 'base must be at most max', path: ['base'] })
    .default({ base: 100, max: 2000, jitter: 'full' }),
  timeout: duration.default(5000),
});
export type RetryPolicy = z.output<typeof retryPolicy>;

export const httpLoad = z.strictObject({
  rule: z.string().optional().describe('the rule this traffic is meant for (for the summary)'),
  url: z
    .string()
    .refine((u) => u.startsWith('/') || URL.canParse(u), { message: 'must be a URL, or a path (/orders) sent through the proxy' })
    .describe('full URL, or a path that goes through the scenario proxy'),
  method: z.string().default('POST').transform((m) => m.toUpperCase()),
  rate: rate.default(20),
  total: z.number().int().positive().optional().describe('stop after this many operations (default: the whole window)'),
  concurrency: z.number().int().positive().default(8),
  key: z.strictObject({ header: z.string().default('idempotency-key') }).default({ header: 'idempotency-key' }),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional().describe('JSON body template: {{seq}}, {{int MIN MAX}}, {{uuid}}, {{pick a b c}}'),
  retry: retryPolicy.default({ attempts: 4, on: ['5xx', 'timeout', 'reset', '409'], backoff: { base: 100, max: 2000, jitter: 'full' }, timeout: 5000 }),
});
export type HttpLoad = z.output<typeof httpLoad>;

export const kafkaLoad = z.strictObject({
  topic: z.string().min(1),
  rate: rate.default(50),
  total: z.number().int().positive().optional(),
  idHeader: z.string().default('message-id'),
  key: z.string().default('k-{{int 0 15}}').describe('message key template'),
  value: z.unknown().default({ seq: '{{seq}}' }).describe('JSON value template'),
});
export type KafkaLoad = z.output<typeof kafkaLoad>;

export const loadSection = z.strictObject({
  http: z.array(httpLoad).default([]),
  kafka: z.array(kafkaLoad).default([]),
});
export type LoadSection = z.output<typeof loadSection>;
