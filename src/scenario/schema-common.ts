// Building blocks shared by every part of the scenario schema.
import { z } from 'zod';
import { MAX_TIMER_MS, parseDuration, parseHostPort, parseRate } from './durations';
import { isReservedName, RESERVED_MESSAGE } from './reserved-names';

/** `250ms`, `30s`, `5m` or a number of milliseconds → milliseconds. */
export const duration = z
  .union([z.string(), z.number()])
  .describe('a duration: 250ms, 30s, 5m, 1h, or a number of milliseconds')
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a duration like 250ms, 30s or 5m (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    // Node timers fire after 1 ms for anything above 2^31-1 ms: a 600h window would end at once.
    if (ms > MAX_TIMER_MS) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days; got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return ms;
  });

/** `20/s`, `600/m` → events per second. */
export const rate = z
  .union([z.string(), z.number()])
  .describe('a rate: 20/s, 600/m, or a number per second')
  .transform((v, ctx) => {
    const perSecond = parseRate(v);
    if (perSecond === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a rate like 20/s or 600/m (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return perSecond;
  });

export const hostPort = z
  .string()
  .describe('HOST:PORT; port 0 picks a free port')
  .refine((v) => parseHostPort(v) !== undefined, { message: 'must be HOST:PORT, e.g. 127.0.0.1:8081' });

export const fraction = z
  .number({ message: 'must be a number between 0 and 1' })
  .min(0, { message: 'must be at least 0' })
  .max(1, { message: 'must be at most 1' });

export const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, { message: 'must be letters, digits, - _ . (no spaces)' })
  // Names end up in file names (runs/<name>-<time>) and metric labels.
  .max(100, { message: 'must be at most 100 characters' })
  .refine((n) => !isReservedName(n), { message: RESERVED_MESSAGE });

/** `env:NAME` reads a secret from the environment at run time; it is never written anywhere. */
export const secretRef = z
  .string()
  .describe('a literal value, or env:NAME to read it from the environment');

/** How long a copy waits before it is sent. Bounds clamp every draw. */
export const delay = z
  .discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), value: duration.default(0) }),
    z.strictObject({ dist: z.literal('uniform'), min: duration, max: duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: duration, min: duration.default(0), max: duration.optional() }),
    z.strictObject({
      dist: z.literal('lognormal'),
      median: duration,
      sigma: z.number().positive().default(1),
      min: duration.default(0),
      max: duration.optional(),
    }),
  ])
  .superRefine((d, ctx) => {
    if ('min' in d && d.max !== undefined && d.min > d.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `must be at most max (${d.min} ms > ${d.max} ms)` });
  });
export type Delay = z.output<typeof delay>;

export const identity = z.strictObject({
  header: z.string().min(1).transform((h) => h.toLowerCase()).describe('header whose value names one logical operation'),
});
