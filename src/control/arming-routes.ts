// Control routes of a standing proxy or relay: arm (a proxy's rules or a relay's settings, seed,
// budget, window end, lease) / renew / settle / disarm, the arming state, and the journal lines of the
// current arming. Bodies are JSON, validated with the scenario's own rule and relay schemas, so an
// armed rule is exactly what a scenario can say.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { ArmingConflict, type Arming } from '../chaos/arming';
import { ConfigError } from '../errors';
import { formatPath } from '../scenario/load';
import { duration } from '../scenario/schema-common';
import { httpRule } from '../scenario/schema-http';
import { budget } from '../scenario/schema';
import { relaySettings } from '../scenario/schema-kafka';
import { name } from '../scenario/schema-common';
import type { ArmingSession } from './arming-session';
import { checkArm } from '../gate/arm-check';
import { audit } from '../gate/audit';
import type { Journal } from '../journal/writer';
import type { Policy } from '../scenario/schema-gate';

const runId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'must be 1-128 letters, digits, _ . : -' });

export const armBody = z.strictObject({
  runId,
  who: z.string().max(128).optional(),
  rules: z.array(httpRule).min(1).optional().describe('standing proxy: the rules to arm'),
  relays: z.array(z.strictObject({ name, ...relaySettings })).min(1).optional().describe('standing relay: settings by relay name'),
  seed: z.number().int().min(0),
  dryRun: z.boolean().default(false),
  budget: budget,
  windowEnd: z.iso.datetime({ offset: true }).describe('no new copies after this instant'),
  settle: duration.default(30_000),
  lease: duration.describe('disarmed unless renewed within this long'),
  scope: z.strictObject({ header: z.string().min(1).transform((h) => h.toLowerCase()), values: z.array(z.string().min(1)).min(1) }).optional(),
});
export type ArmBody = z.input<typeof armBody>;

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `${formatPath(i.path) || 'body'}: ${i.message}`));
  return r.data;
}

export interface ArmingRoutesOptions {
  arming: Arming;
  session: ArmingSession;
  pending: () => number;
  proxyUrl?: string;
  /** A standing relay: its relays' names (an arm body names them and carries no `rules`). */
  relayNames?: readonly string[];
  /** --policy: every arm request is checked against it (403 with every reason when refused). */
  policy?: { policy: Policy; file: string; journal: Journal };
}

export function armingRoutes(o: ArmingRoutesOptions): express.Router {
  const router = express.Router();
  const conflict = (res: Response, err: unknown) => {
    if (!(err instanceof ArmingConflict || err instanceof RangeError)) throw err;
    res.status(409).json({ error: 'ARMING_CONFLICT', message: err.message });
  };
  const state = () => ({
    replica: o.session.replica, proxy: o.proxyUrl, relays: o.relayNames, armed: o.arming.state ?? null, pending: o.pending(),
    counts: o.session.counts, runId: o.session.runId ?? null, recording: o.session.recording,
  });

  router.post('/arm', (req: Request, res: Response) => {
    const b = parse(armBody, req.body);
    const misfit = armTargetIssues(b, o.relayNames);
    if (misfit.length > 0) throw new ConfigError(misfit);
    const spec = { ...b, windowEndMs: Date.parse(b.windowEnd), settleMs: b.settle, leaseMs: b.lease };
    if (o.policy) {
      const reasons = checkArm(o.policy.policy, o.policy.file, spec);
      audit(o.policy.journal, 'gate', { who: b.who, decision: reasons.length ? 'refused' : 'allowed', reasons: reasons.length ? reasons : undefined, detail: `arm request of run ${b.runId}` });
      if (reasons.length > 0) return void res.status(403).json({ error: 'GATE_REFUSED', message: reasons.join('; '), reasons });
    }
    try {
      o.arming.arm(spec);
    } catch (err) {
      return conflict(res, err);
    }
    res.json(state());
  });
  router.post('/arm/renew', (req: Request, res: Response) => {
    const b = parse(z.strictObject({ runId, lease: duration }), req.body);
    try {
      o.arming.renew(b.runId, b.lease);
    } catch (err) {
      return conflict(res, err);
    }
    res.json(state());
  });
  router.post('/arm/settle', (req: Request, res: Response) => {
    o.arming.stopInjecting(parse(z.strictObject({ runId }), req.body).runId);
    res.json(state());
  });
  router.post('/disarm', (req: Request, res: Response) => {
    const b = parse(z.strictObject({ runId: runId.optional(), reason: z.string().min(1).max(500).default('disarmed via control API') }), req.body);
    // A run disarms only its own arming; without a runId (an operator) whatever is armed.
    if (b.runId === undefined || o.arming.state?.runId === b.runId) o.arming.disarm(b.reason);
    res.json(state());
  });
  router.get('/arming', (_req: Request, res: Response) => {
    res.json(state());
  });
  router.get('/arming/journal', (req: Request, res: Response) => {
    const q = parse(z.strictObject({ run: runId, from: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(10_000).default(5000) }), req.query);
    if (q.run !== o.session.runId) return void res.status(404).json({ error: 'NOT_FOUND', message: `no arming of run ${q.run} on this proxy (restarted?)` });
    res.json({ replica: o.session.replica, recording: o.session.recording, ...o.session.page(q.from, q.limit) });
  });
  return router;
}

/** A proxy arms rules, a relay arms its own relays by name: anything else is a mistaken target. */
function armTargetIssues(b: z.output<typeof armBody>, relayNames: readonly string[] | undefined): string[] {
  if (relayNames === undefined) {
    return [...(b.relays ? ['relays: this is a standing proxy (arm it with rules)'] : []), ...(b.rules ? [] : ['rules: is required'])];
  }
  const issues = b.rules ? ['rules: this is a standing relay (arm it with relays)'] : b.relays ? [] : ['relays: is required'];
  (b.relays ?? []).forEach((r, i) => {
    if (!relayNames.includes(r.name)) issues.push(`relays[${i}].name: no relay ${r.name} here (relays: ${relayNames.join(', ')})`);
  });
  return issues;
}
