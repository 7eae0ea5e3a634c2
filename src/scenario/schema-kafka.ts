// The `kafka:` section: brokers and the relays that re-deliver a fraction of messages.
import { z } from 'zod';
import { delay, fraction, identity, name, secretRef } from './schema-common';
import { onStoreDown } from './schema-links';
import { redeliverFault } from './schema-redeliver';

/** What a relay does to a picked message: also the body of arming a standing relay (control API). */
export const relaySettings = {
  fraction,
  copies: z.number().int().min(1).max(100).default(1),
  delay: delay.default({ dist: 'fixed', value: 0 }),
};

export const kafkaRelay = z
  .strictObject({
    name,
    from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((t) => (Array.isArray(t) ? t : [t])),
    to: z.string().min(1),
    group: z.string().min(1).optional().describe('consumer group id (default doubletap-relay.FROM.to.TO: unique to source and destination)'),
    fromBeginning: z.boolean().default(false).describe('a new group starts at the start of the retained source log (default: at its end, relaying only what arrives)'),
    deadLetter: z.string().min(1).optional().describe('topic for messages the destination refuses for good (size, timestamp); without it such a message stops the relay (exit 3)'),
    identity: identity.optional().describe('header naming a message; default topic/partition/offset'),
    ...relaySettings,
    markCopies: z.string().optional().describe('header added to copies (off by default)'),
    maxPending: z.number().int().positive().default(10_000).describe('scheduled copies before partitions pause'),
    onStoreDown,
  })
  .superRefine((r, ctx) => {
    // A destination that is also a source relays its own output forever (10 messages became 9,950).
    if (r.from.includes(r.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: `topic ${r.to} is also a source of this relay: it would relay its own output forever` });
    if (r.deadLetter !== undefined && (r.from.includes(r.deadLetter) || r.deadLetter === r.to)) {
      ctx.addIssue({ code: 'custom', path: ['deadLetter'], message: `topic ${r.deadLetter} must differ from the source and the destination` });
    }
    if (r.maxPending < r.copies) ctx.addIssue({ code: 'custom', path: ['maxPending'], message: `must be at least copies (${r.copies})` });
  });
export type KafkaRelay = z.output<typeof kafkaRelay>;

export const kafkaSection = z.strictObject({
  brokers: z.array(z.string().min(1)).min(1, { message: 'needs at least one broker' }),
  clientId: z.string().default('doubletap'),
  ssl: z.boolean().default(false),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: secretRef,
      password: secretRef,
    })
    .optional(),
  connectTimeout: z.number().int().positive().default(5000),
  relays: z
    .array(kafkaRelay)
    .default([])
    .superRefine((relays, ctx) => {
      // Across relays too: A → B next to B → A loops just the same.
      relays.forEach((r, i) => {
        const other = relays.find((o) => o !== r && o.from.includes(r.to));
        if (other) ctx.addIssue({ code: 'custom', path: [i, 'to'], message: `topic ${r.to} is a source of relay ${other.name}: the relays would feed each other forever` });
      });
    }),
  redeliver: z.array(redeliverFault).optional().describe("forced redeliveries to the service's own consumer groups"),
});
export type KafkaSection = z.output<typeof kafkaSection>;
