// The `http:` section: proxy listener, upstream and the rules that pick writes to duplicate.
import { z } from 'zod';
import { delay, duration, fraction, hostPort, identity, name } from './schema-common';
import { onStoreDown } from './schema-links';
import { reservedSegment } from './reserved-names';
import { isJsonPointer } from '../http/response-identity';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

const weight = z.number().positive({ message: 'must be greater than 0' }).default(1);

/** Each fault kind; the framework applies `fraction` and `weight`, the fault only shapes the copies. */
export const httpFault = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('replay'),
    weight,
    copies: z.number().int().min(1).max(100).default(1),
    delay: delay.default({ dist: 'fixed', value: 0 }),
  }),
  z.strictObject({
    kind: z.literal('burst'),
    weight,
    copies: z.number().int().min(1).max(100).default(2),
    within: duration.default(20).describe('copies start within this window after the original was sent'),
  }),
  z.strictObject({
    kind: z.literal('lost-reply'),
    weight,
    status: z.union([z.literal(502), z.literal(503), z.literal(504)]).default(504),
    reset: z.boolean().default(false).describe('reset the client connection instead of answering with status'),
  }),
  z.strictObject({
    kind: z.literal('key-reuse'),
    weight,
    change: z.strictObject({
      field: z
        .string()
        .min(1)
        .refine((f) => f.split('.').every((part) => part.length > 0), { message: 'must be a dot path like amount_cents or item.qty (no empty segment)' })
        .refine((f) => reservedSegment(f) === undefined, { message: 'must not go through __proto__, constructor, prototype or another Object.prototype name' })
        .describe('dot path of a JSON body field to change'),
      add: z.number().optional(),
      set: z.unknown().optional(),
    }),
    delay: delay.default({ dist: 'fixed', value: 0 }),
  }),
  z.strictObject({
    kind: z.literal('strip-key'),
    weight,
    delay: delay.default({ dist: 'fixed', value: 0 }),
  }),
]);
export type HttpFault = z.output<typeof httpFault>;
export const HTTP_FAULT_KINDS = ['replay', 'burst', 'lost-reply', 'key-reuse', 'strip-key'] as const;
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];

const methodList = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((m) => (Array.isArray(m) ? m : [m]).map((x) => x.toUpperCase()));

export const httpRule = z.strictObject({
  name,
  match: z
    .strictObject({
      method: methodList.default([...WRITE_METHODS]),
      // Matching costs O(path × pattern) per request: keep the pattern a pattern, not a payload.
      path: z.string().max(512, { message: 'must be at most 512 characters' }).default('/**').describe('path pattern: * matches one segment, ** any number; query ignored'),
      header: z.string().transform((h) => h.toLowerCase()).optional().describe('only requests carrying this header'),
    })
    .default({ method: [...WRITE_METHODS], path: '/**' }),
  fraction,
  responseId: z
    .string()
    .refine(isJsonPointer, { message: 'must be a JSON pointer like /order_id or /data/id' })
    .optional()
    .describe('JSON pointer to the resource identity in a success answer (default: the id field, else the *_id fields); copies naming the same resource are replayed, another one re-executed'),
  faults: z.array(httpFault).min(1, { message: 'needs at least one fault' }).default([{ kind: 'replay', weight: 1, copies: 1, delay: { dist: 'fixed', value: 0 } }]),
  onStoreDown,
});
export type HttpRule = z.output<typeof httpRule>;

export const httpSection = z.strictObject({
  listen: hostPort.default('127.0.0.1:8081'),
  upstream: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }),
  ca: z.string().optional().describe('PEM file with extra CA certificates for an HTTPS upstream'),
  insecure: z.boolean().default(false).describe('skip upstream certificate checks (never in production)'),
  identity: identity.default({ header: 'idempotency-key' }),
  markCopies: z.string().optional().describe('header added to copies (off by default: a service could hide its bugs)'),
  copyTimeout: duration.default(10_000),
  maxBodyBytes: z.number().int().positive().default(1024 * 1024).describe('bodies above this are forwarded, not duplicated'),
  maxPendingBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024)
    .describe('request bodies held for pending copies, in bytes, at most; past it picked requests are not duplicated (reason pending-bytes)'),
  rules: z.array(httpRule).min(1, { message: 'needs at least one rule' }),
});
export type HttpSection = z.output<typeof httpSection>;
