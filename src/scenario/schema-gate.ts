// `gate:` what a production run needs before it may start, and the stop conditions that end it early.
// The limits themselves (allow-list, fraction ceiling, faults, windows, approvers) live in a policy
// file OUTSIDE the scenario (see policySchema): whoever writes a scenario cannot widen them.
import { z } from 'zod';
import { duration, name, secretRef } from './schema-common';
import { HTTP_FAULT_KINDS } from './schema-http';

const lowerHeader = z.string().min(1).transform((h) => h.toLowerCase());

const prometheusStop = z.strictObject({
  name,
  prometheus: z.string().min(1).describe('PromQL instant query returning one sample (error rate, latency…)'),
  url: z.url({ message: 'must be the Prometheus base URL' }),
  timeout: duration.default(5000),
  above: z.number().optional().describe('trips when the value is above this'),
  below: z.number().optional().describe('trips when the value is below this'),
});
const upstreamStop = z.strictObject({
  name,
  upstream5xx: z
    .strictObject({ minRequests: z.number().int().min(1).default(20).describe('fewer originals in the interval: not judged (not unreadable either)') })
    .describe("share of matching originals (requests a rule matched) the upstream answered 5xx, as the proxy saw them in the last interval"),
  above: z.number().min(0).max(1).describe('trips when the 5xx ratio is above this'),
});
const probeStop = z.strictObject({
  name,
  probe: z.string().min(1).describe('a probe of this scenario (e.g. a keyed probe on a synthetic account)'),
  expected: z.number().optional().describe('a plain probe: the value it must keep during the window'),
  perKey: z
    .number()
    .min(0)
    .optional()
    .describe("a keyed probe: its value per key of the run so far (1 for one row per operation); more trips (a leak detected mid-run), less does not (books that lag)"),
  tolerance: z.number().min(0).default(0).describe('trips when |value - expected| is above this'),
});

export const stopCondition = z.union([prometheusStop, upstreamStop, probeStop]).superRefine((c, ctx) => {
  if ('prometheus' in c && c.above === undefined && c.below === undefined) {
    ctx.addIssue({ code: 'custom', path: ['above'], message: 'needs above or below (the threshold)' });
  }
});
export type StopCondition = z.output<typeof stopCondition>;
export type PrometheusStop = z.output<typeof prometheusStop>;
export type UpstreamStop = z.output<typeof upstreamStop>;
export type ProbeStop = z.output<typeof probeStop>;

export const stopSection = z.strictObject({
  interval: duration.default(5000).describe('every condition is evaluated this often during the window'),
  unreadable: z.number().int().min(1).default(3).describe('a condition unreadable this many intervals in a row halts the run (fail closed)'),
  conditions: z.array(stopCondition).default([]),
});
export type StopSection = z.output<typeof stopSection>;

export const gate = z.strictObject({
  environment: z.enum(['staging', 'production']).default('staging').describe('production: every gate check must pass or the run refuses to start (exit 2)'),
  policy: z.string().optional().describe('policy file kept outside the scenario: allow-list, fraction ceiling, faults, windows, approvers (required in production)'),
  approval: z
    .strictObject({
      token: secretRef.optional().describe('env:NAME or file:PATH; its sha256 must be one of the policy approvers'),
      file: z.string().optional().describe('approval file (doubletap approve) bound to this scenario\'s content hash, with an expiry'),
    })
    .optional(),
  scope: z
    .strictObject({ header: lowerHeader, values: z.array(z.string().min(1)).min(1) })
    .optional()
    .describe('only requests carrying this header with one of these values are ever duplicated (test tenants, synthetic accounts)'),
  stop: stopSection.default({ interval: 5000, unreadable: 3, conditions: [] }),
});
export type Gate = z.output<typeof gate>;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be HH:MM (00:00 to 24:00)' });

const validTimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone, e.g. Europe/Berlin or UTC' },
);

export const timeWindow = z
  .strictObject({
    timeZone: validTimeZone,
    days: z.array(z.enum(DAYS, { message: `must be one of ${DAYS.join(', ')}` })).min(1),
    from: clock,
    to: clock,
  })
  .refine((w) => w.from < w.to, { message: 'from must be before to (split a window over midnight into two)', path: ['to'] });
export type TimeWindow = z.output<typeof timeWindow>;

const contract = z.string().min(10, { message: 'must say what the idempotency contract is (at least 10 characters)' });
// A route, not a pattern: a whole `*` segment is a route parameter (/v1/orders/*/refunds); no `**`,
// no partial globs, not only parameters.
export function isNamedRoute(path: string): boolean {
  const segments = path.split('/').slice(1);
  return segments.some((s) => s !== '*' && s !== '') && segments.every((s) => s === '*' || !s.includes('*'));
}
const faultList = z.array(z.enum(HTTP_FAULT_KINDS)).min(1).default(['replay']);

export const policySchema = z.strictObject({
  approvers: z
    .array(z.strictObject({ name, sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex digits (sha256 of the token)' }) }))
    .default([])
    .describe('who may approve a run with a token: the sha256 of each token, never the token'),
  allow: z
    .strictObject({
      http: z
        .array(
          z.strictObject({
            method: z.string().min(1).transform((m) => m.toUpperCase()),
            path: z.string().startsWith('/').refine(isNamedRoute, { message: 'no wildcards: name the route (a whole * segment is a route parameter)' }),
            contract,
            faults: faultList,
          }),
        )
        .default([]),
      kafka: z.array(z.strictObject({ topic: z.string().min(1).refine((t) => !/[*?]/.test(t), { message: 'no wildcards: name the topic' }), contract })).default([]),
    })
    .default({ http: [], kafka: [] }),
  maxFraction: z.number().min(0).max(1).default(0.001).describe('no rule or relay fraction above this'),
  windows: z.array(timeWindow).default([]).describe('the whole chaos window must lie inside one of these; none: never'),
  requireScope: z.boolean().default(false).describe('refuse runs without gate.scope (test tenants only)'),
});
export type Policy = z.output<typeof policySchema>;
