// `kafka.redeliver`: forced re-reads by the service's OWN consumer group (not copies at new offsets).
import { z } from 'zod';
import { duration } from './schema-common';

export const redeliverFault = z.strictObject({
  kind: z.enum(['rebalance', 'rewind']).describe('rebalance: a member joins the group and leaves (uncommitted work is redelivered); rewind: the group re-reads `messages` per partition'),
  group: z.string().min(1).describe("the service's consumer group id"),
  topic: z.string().min(1).describe('the topic the group consumes'),
  at: duration.optional().describe('when, from the start of the chaos window (default: a seeded moment in its first half)'),
  messages: z.number().int().min(1).max(100_000).default(1).describe('rewind: messages re-read per partition'),
  hold: duration.default(1000).describe("how long doubletap's member stays in the group before it leaves"),
  timeout: duration.default(30_000).describe('give up (journaled as skipped) when the group has not rebalanced by then'),
});
export type RedeliverFault = z.output<typeof redeliverFault>;
