// `attach:` arm standing proxies (`doubletap proxy --standing`) instead of starting one. The run's http
// rules, seed and budget go to every replica; the budget is split between them.
import { z } from 'zod';
import { duration, secretRef } from './schema-common';

export const attachSection = z.strictObject({
  proxies: z.array(z.url({ message: 'must be a control URL, e.g. http://checkout-0.checkout:7070' })).min(1).describe('control URLs of standing proxies (one per replica)'),
  token: secretRef.optional().describe('control API bearer token of the standing proxies (env:NAME)'),
  lease: duration.default(15_000).describe('each replica disarms itself unless the run renews within this long (renewed every lease/3)'),
  margin: duration.default(30_000).describe('the replicas\' own window end: the run\'s window plus this (the run ends it earlier itself)'),
});
export type AttachSection = z.output<typeof attachSection>;
