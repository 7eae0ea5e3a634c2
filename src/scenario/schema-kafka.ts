// The `kafka:` section: brokers and the relays that re-deliver a fraction of messages.
import { z } from 'zod';
import { delay, fraction, identity, name, secretRef } from './schema-common';
import { onStoreDown } from './schema-links';
import { redeliverFault } from './schema-redeliver';

export const kafkaRelay = z.strictObject({
  name,
  from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((t) => (Array.isArray(t) ? t : [t])),
  to: z.string().min(1),
  group: z.string().optional().describe('consumer group id (default doubletap-relay-NAME)'),
  identity: identity.optional().describe('header naming a message; default topic/partition/offset'),
  fraction,
  copies: z.number().int().min(1).max(100).default(1),
  delay: delay.default({ dist: 'fixed', value: 0 }),
  markCopies: z.string().optional().describe('header added to copies (off by default)'),
  maxPending: z.number().int().positive().default(10_000).describe('scheduled copies before partitions pause'),
  onStoreDown,
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
  relays: z.array(kafkaRelay).default([]),
  redeliver: z.array(redeliverFault).optional().describe("forced redeliveries to the service's own consumer groups"),
});
export type KafkaSection = z.output<typeof kafkaSection>;
