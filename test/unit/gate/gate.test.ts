// The production gate: one fixture per refusal reason, each refused for exactly that reason, and the
// reference fixture (ok.yaml) allowed. `now` is fixed inside the policy's window (Tue 03:00 Berlin).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scenarioHash } from '../../../src/gate/content-hash';
import { decideGate } from '../../../src/gate/open';
import { insideWindows, localTime } from '../../../src/gate/window';
import { loadScenario } from '../../../src/scenario/load';
import { loadPolicy } from '../../../src/gate/policy';
import type { Policy } from '../../../src/scenario/schema-gate';

const GATE_DIR = resolve(__dirname, '..', '..', 'fixtures', 'gate');
const NOW = new Date('2026-12-01T02:00:00Z'); // Tuesday 03:00 in Berlin (UTC+1 in December)
const ENV = { GATE_DIR, DT_APPROVAL: 'approve-me-please-0123', DT_WRONG_APPROVAL: 'not-the-token-0123', APPROVAL_FILE: '/nonexistent' };

function decide(fixture: string, env: Record<string, string> = {}, now = NOW) {
  const allEnv = { ...ENV, ...env };
  return decideGate(loadScenario(join(GATE_DIR, `${fixture}.yaml`), allEnv), allEnv, now);
}

function refusedFor(fixture: string, pattern: RegExp, env: Record<string, string> = {}): void {
  const d = decide(fixture, env);
  expect(d.ok, fixture).to.equal(false);
  expect(d.reasons, JSON.stringify(d.reasons)).to.have.length(1);
  expect(d.reasons[0]).to.match(pattern);
}

describe('gate', () => {
  it('allows the reference production scenario and names the approver (never the token)', () => {
    const d = decide('ok');
    expect(d.reasons).to.deep.equal([]);
    expect(d.ok).to.equal(true);
    expect(d.who).to.equal('alice');
    expect(JSON.stringify(d)).not.to.contain('approve-me-please');
  });

  it('refuses without an approval', () => refusedFor('no-approval', /^gate\.approval: a production run needs an approval/));
  it('refuses a token that matches no approver', () => refusedFor('wrong-token', /^gate\.approval\.token: matches no approver/));
  it('refuses a token variable that is not set', () => refusedFor('ok', /environment variable DT_APPROVAL is not set/, { DT_APPROVAL: '' }));
  it('refuses without a policy file', () => refusedFor('no-policy', /^gate\.policy: a production run needs a policy file/));
  it('refuses a policy that holds a wildcard route', () => refusedFor('wildcard-policy', /policy-wildcard\.yaml: allow\.http\[0\]\.path: no wildcards/));
  it('refuses a route that is not on the allow-list', () => refusedFor('route-not-allowed', /create-order\): POST \/payments is not on the allow-list/));
  it('refuses a rule on a pattern instead of a route', () => refusedFor('wildcard-rule', /path \/\*\* is a pattern, not a route/));
  it('refuses methods nobody vouched for (the default: every write)', () => {
    const d = decide('method-not-allowed');
    expect(d.ok).to.equal(false);
    expect(d.reasons.map((r) => r.split(' ')[2])).to.deep.equal(['PUT', 'PATCH', 'DELETE']);
  });
  it('refuses a topic that is not on the allow-list', () => refusedFor('topic-not-allowed', /topic payments\.unlisted is not on the allow-list/));
  it('refuses a fault the allow-list entry does not permit', () => refusedFor('fault-not-allowed', /fault burst not allowed on POST \/orders \(allowed: replay\)/));
  it('refuses a fraction above the ceiling', () => refusedFor('fraction-over', /fraction 0\.2 is above the ceiling 0\.01/));
  it('refuses missing budgets', () => {
    const d = decide('budget-missing');
    expect(d.reasons).to.deep.equal(['budget.perSecond: must be set in production', 'budget.inFlight: must be set in production']);
  });
  it('refuses without a stop condition', () => refusedFor('no-stop', /^gate\.stop\.conditions: at least one/));
  it('refuses a run that would end outside the window', () => refusedFor('outside-window', /before the run would end\) is outside the allowed windows/));
  it('refuses now outside the window (Saturday)', () => {
    const d = decide('ok', {}, new Date('2026-12-05T02:00:00Z'));
    expect(d.reasons).to.have.length(1);
    expect(d.reasons[0]).to.match(/^gate window: now \(2026-12-05T02:00:00\.000Z\) is outside the allowed windows \(mon,tue,wed,thu 02:00-05:00 Europe\/Berlin\)/);
  });
  it('refuses an unscoped run when the policy requires scope, allows a scoped one', () => {
    refusedFor('scope-missing', /^gate\.scope: the policy .* allows only scoped runs/);
    expect(decide('scoped').ok).to.equal(true);
  });

  describe('approval files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-approval-'));
    const write = (name: string, body: object) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(body));
      return file;
    };
    const hash = scenarioHash(loadScenario(join(GATE_DIR, 'approval-file.yaml'), ENV));

    it('allows a file bound to this scenario and not expired', () => {
      const file = write('ok.json', { name: 'bob', scenarioSha256: hash, expires: '2026-12-01T06:00:00Z' });
      const d = decide('approval-file', { APPROVAL_FILE: file });
      expect(d.reasons).to.deep.equal([]);
      expect(d.who).to.equal('bob');
    });
    it('refuses a file bound to another scenario content', () => {
      const file = write('stale.json', { name: 'bob', scenarioSha256: 'a'.repeat(64), expires: '2026-12-01T06:00:00Z' });
      refusedFor('approval-file', /approves scenario aaaaaaaaaaaa…, this one is .* \(the scenario changed since it was approved\)/, { APPROVAL_FILE: file });
    });
    it('refuses an expired file', () => {
      const file = write('expired.json', { name: 'bob', scenarioSha256: hash, expires: '2026-12-01T01:59:59Z' });
      refusedFor('approval-file', /expired at 2026-12-01T01:59:59Z/, { APPROVAL_FILE: file });
    });
    it('changes the hash when the scenario changes, not when the approval moves', () => {
      const a = loadScenario(join(GATE_DIR, 'ok.yaml'), ENV);
      const b = loadScenario(join(GATE_DIR, 'no-approval.yaml'), ENV);
      expect(scenarioHash({ ...a, name: b.name })).to.equal(scenarioHash(b));
      expect(scenarioHash({ ...a, seed: 8 })).not.to.equal(scenarioHash(a));
    });
  });

  it('lists every reason at once', () => {
    const d = decide('all-wrong');
    expect(d.ok).to.equal(false);
    const joined = d.reasons.join('\n');
    for (const part of ['gate.approval:', 'not on the allow-list', 'budget.total', 'budget.perSecond', 'budget.inFlight', 'gate.stop.conditions', 'outside the allowed windows']) {
      expect(joined).to.contain(part);
    }
  });

  it('reads local time in a time zone, daylight saving included', () => {
    expect(localTime(new Date('2026-07-01T01:30:00Z'), 'Europe/Berlin')).to.deep.equal({ day: 'wed', hhmm: '03:30' });
    expect(localTime(new Date('2026-12-01T01:30:00Z'), 'Europe/Berlin')).to.deep.equal({ day: 'tue', hhmm: '02:30' });
    const w = [{ timeZone: 'America/New_York', days: ['mon' as const], from: '09:00', to: '24:00' }];
    expect(insideWindows(new Date('2026-11-30T14:00:00Z'), w)).to.equal(true); // Mon 09:00 EST
    expect(insideWindows(new Date('2026-11-30T13:59:00Z'), w)).to.equal(false);
  });
});

describe('deploy/policy-configmap.yaml', () => {
  it('holds a valid policy (the example users copy must not rot)', () => {
    const cm = parse(readFileSync(resolve(__dirname, '..', '..', '..', 'deploy', 'policy-configmap.yaml'), 'utf8'));
    const file = join(mkdtempSync(join(tmpdir(), 'dt-policy-')), 'policy.yaml');
    writeFileSync(file, cm.data['policy.yaml']);
    const policy = loadPolicy(file);
    expect(policy, JSON.stringify(policy)).not.to.be.an('array');
    expect((policy as Policy).allow.http.map((e) => `${e.method} ${e.path}`)).to.deep.equal(['POST /v1/checkouts', 'POST /v1/checkouts/*/refunds']);
  });
});
