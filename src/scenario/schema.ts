// The whole scenario file. Every field is validated here, before anything starts.
import { z } from 'zod';
import { duration, hostPort, name, secretRef } from './schema-common';
import { httpSection } from './schema-http';
import { kafkaSection } from './schema-kafka';
import { checkLinks, linksSection } from './schema-links';
import { loadSection } from './schema-load';
import { invariant, probe } from './schema-probes';
import { gate } from './schema-gate';
import { attachSection } from './schema-attach';
import { checkExpression } from '../reconcile/expressions';
import { isReservedName, RESERVED_MESSAGE } from './reserved-names';

/** Shortest token accepted: a short or empty one is as good as none. */
export const MIN_TOKEN_LENGTH = 12;

/** Probe names become keys of snapshots and the verdict: never an Object.prototype name. */
const probeName = z.string().min(1).refine((n) => !isReservedName(n), { message: RESERVED_MESSAGE });

import { checkTemplate } from '../load/template';
import { messageOf } from '../errors';

/** What a `pass` needs besides the books: see docs/verdict.md. */
export const evidence = z.strictObject({
  minCopies: z.number().int().min(1).default(10).describe('each rule and relay needs at least this many copies with a verdict-bearing outcome to pass'),
});

/** A bad template must stop `validate` (exit 2), not crash the run's load generator later. */
function templateProblem(template: unknown): string | undefined {
  try {
    checkTemplate(template);
    return undefined;
  } catch (err) {
    return messageOf(err).replace(/^template: /, '');
  }
}

export const budget = z.strictObject({
  total: z.number().int().min(0).optional().describe('at most this many copies in the whole run'),
  perSecond: z.number().positive().optional().describe('at most this many copies per second'),
  inFlight: z.number().int().min(1).optional().describe('at most this many HTTP copies on the wire at once'),
});

export const control = z.strictObject({
  listen: hostPort.default('127.0.0.1:0'),
  token: secretRef
    .refine((t) => t.startsWith('env:') || t.length >= MIN_TOKEN_LENGTH, { message: `must be at least ${MIN_TOKEN_LENGTH} characters (an empty or short token is no protection), or env:NAME` })
    .optional()
    .describe(`bearer token for POSTs; required off loopback (use env:NAME); at least ${MIN_TOKEN_LENGTH} characters`),
});

export const report = z.strictObject({
  grafanaUrl: z.url({ protocol: /^https?$/ }).optional().describe("Grafana's base URL: the HTML report links the doubletap experiment dashboard over the run's time range"),
});

export const scenarioSchema = z
  .strictObject({
    version: z.literal(1, { message: 'must be 1' }),
    name,
    description: z.string().optional(),
    seed: z.number().int().min(0).default(1),
    duration: duration.default(60_000).describe('the chaos window'),
    settle: duration.default(30_000).describe('at most this long for pending copies and probes to settle'),
    dryRun: z.boolean().default(false).describe('log every decision, send no copy'),
    budget: budget.default({}),
    control: control.default({ listen: '127.0.0.1:0' }),
    gate: gate.default({ environment: 'staging', stop: { interval: 5000, unreadable: 3, conditions: [] } }),
    report: report.default({}),
    health: z.strictObject({ url: z.url(), timeout: duration.default(30_000) }).optional().describe('wait for this URL to answer 2xx before the baseline'),
    timeline: z
      .strictObject({
        // Each tick reads every probe: 0 would read them in a tight loop (1,233 reads in 3 s).
        interval: duration.refine((ms) => ms >= 100, { message: 'must be at least 100ms (every tick reads every probe)' }).default(1000),
      })
      .default({ interval: 1000 }),
    http: httpSection.optional(),
    attach: attachSection.optional().describe('arm standing proxies (doubletap proxy --standing) with the http rules instead of starting a proxy'),
    kafka: kafkaSection.optional(),
    load: loadSection.optional(),
    links: linksSection.optional(),
    evidence: evidence.default({ minCopies: 10 }),
    failOn: z
      .array(z.enum(['re-executed', 'wrong-replay', 'error', 'conflict', 'unverified']))
      .default(['re-executed', 'wrong-replay'])
      .describe('copy outcomes that fail the run even when every invariant holds (the books cannot see a wrong replay); [] turns it off'),
    probes: z.record(probeName, probe).default({}),
    invariants: z.array(invariant).default([]),
  })
  .superRefine((s, ctx) => {
    const ruleNames = new Set<string>();
    s.http?.rules.forEach((r, i) => {
      if (ruleNames.has(r.name)) ctx.addIssue({ code: 'custom', path: ['http', 'rules', i, 'name'], message: `duplicate rule name ${r.name}` });
      ruleNames.add(r.name);
    });
    s.kafka?.relays.forEach((r, i) => {
      if (ruleNames.has(r.name)) ctx.addIssue({ code: 'custom', path: ['kafka', 'relays', i, 'name'], message: `name ${r.name} is already used` });
      ruleNames.add(r.name);
    });
    s.invariants.forEach((inv, i) => {
      if (!Object.hasOwn(s.probes, inv.probe)) ctx.addIssue({ code: 'custom', path: ['invariants', i, 'probe'], message: `no probe named ${inv.probe}` });
      // Expressions name rules/relays: check them here so a typo is a config error, not a run-time 0.
      for (const field of ['grows_by', 'grows_at_least', 'grows_at_most'] as const) {
        const text = inv[field];
        const problem = text === undefined ? undefined : checkExpression(text, ruleNames);
        if (problem) ctx.addIssue({ code: 'custom', path: ['invariants', i, field], message: problem });
      }
    });
    s.gate.stop.conditions.forEach((c, i) => {
      if ('probe' in c && !(c.probe in s.probes)) ctx.addIssue({ code: 'custom', path: ['gate', 'stop', 'conditions', i, 'probe'], message: `no probe named ${c.probe}` });
      const name = 'probe' in c ? c.probe : undefined;
      const watched = name === undefined ? undefined : s.probes[name];
      if (!watched || !('probe' in c)) return;
      // A keyed probe's key list grows during the window: its expected value is per key, not fixed.
      const keyed = 'keys' in watched && watched.keys !== undefined;
      if (keyed && c.perKey === undefined) ctx.addIssue({ code: 'custom', path: ['gate', 'stop', 'conditions', i, 'perKey'], message: `${name} is a keyed probe: give perKey (its value per key of the run so far), not expected` });
      if (!keyed && c.expected === undefined) ctx.addIssue({ code: 'custom', path: ['gate', 'stop', 'conditions', i, 'expected'], message: `${name} is a plain probe: give expected (perKey is for keyed probes)` });
    });
    const httpRules = new Set(s.http?.rules.map((r) => r.name) ?? []);
    for (const [name, p] of Object.entries(s.probes)) {
      if ('keys' in p && p.keys && !httpRules.has(p.keys.rule)) {
        ctx.addIssue({ code: 'custom', path: ['probes', name, 'keys', 'rule'], message: `no http rule named ${p.keys.rule} (keyed probes bind an HTTP rule's Idempotency-Keys)` });
      }
    }
    s.load?.http.forEach((l, i) => {
      if (l.rule && !ruleNames.has(l.rule)) ctx.addIssue({ code: 'custom', path: ['load', 'http', i, 'rule'], message: `no rule named ${l.rule}` });
      const problem = l.body === undefined ? undefined : templateProblem(l.body);
      if (problem) ctx.addIssue({ code: 'custom', path: ['load', 'http', i, 'body'], message: problem });
    });
    s.load?.kafka.forEach((l, i) => {
      for (const field of ['key', 'value'] as const) {
        const problem = templateProblem(l[field]);
        if (problem) ctx.addIssue({ code: 'custom', path: ['load', 'kafka', i, field], message: problem });
      }
    });
    if ((s.load?.kafka.length ?? 0) > 0 && !s.kafka) {
      ctx.addIssue({ code: 'custom', path: ['load', 'kafka'], message: 'needs a kafka section with brokers' });
    }
    if (s.load?.http.some((l) => l.url.startsWith('/')) && !s.http) {
      ctx.addIssue({ code: 'custom', path: ['load', 'http'], message: 'a path URL goes through the proxy: needs an http section' });
    }
    checkLinks(s.links, s.duration, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
    s.kafka?.redeliver?.forEach((r, i) => {
      if (r.at !== undefined && r.at >= s.duration) ctx.addIssue({ code: 'custom', path: ['kafka', 'redeliver', i, 'at'], message: 'must be inside the chaos window' });
    });
    if (s.attach && !s.http) ctx.addIssue({ code: 'custom', path: ['attach'], message: 'needs an http section (the rules to arm)' });
    if (s.attach && s.budget.inFlight !== undefined && s.budget.inFlight < s.attach.proxies.length) {
      ctx.addIssue({ code: 'custom', path: ['budget', 'inFlight'], message: `must be at least the number of attached proxies (${s.attach.proxies.length}): it is split between them` });
    }
    if (!s.http && !s.kafka) ctx.addIssue({ code: 'custom', path: [], message: 'needs an http or a kafka section (or both)' });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export { name };
