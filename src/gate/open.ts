// Opening the gate for a run: staging runs pass through; a production run is evaluated against its
// policy, the decision is journaled either way, and a refusal stops everything before it starts.
import { DoubletapError, EXIT } from '../errors';
import type { Journal } from '../journal/writer';
import type { Scenario } from '../scenario/schema';
import { audit } from './audit';
import { scenarioHash } from './content-hash';
import { evaluateGate, type GateDecision } from './index';
import { loadPolicy } from './policy';

export class GateRefusedError extends DoubletapError {
  constructor(readonly reasons: string[]) {
    super('GATE_REFUSED', `the gate refused this production run (${reasons.length} reason${reasons.length === 1 ? '' : 's'}):\n${reasons.map((r) => `  - ${r}`).join('\n')}`, EXIT.invalid);
  }
}

export function decideGate(scenario: Scenario, env: NodeJS.ProcessEnv, now = new Date()): GateDecision & { scenarioSha256: string } {
  const hash = scenarioHash(scenario);
  const file = scenario.gate.policy;
  const loaded = file ? loadPolicy(file) : ['gate.policy: a production run needs a policy file kept outside the scenario'];
  const policy = Array.isArray(loaded) ? undefined : loaded;
  const decision = evaluateGate({ scenario, policy, policyFile: file, env, now, scenarioHash: hash }, Array.isArray(loaded) ? loaded : []);
  return { ...decision, scenarioSha256: hash };
}

/** Staging: nothing to check. Production: the decision is journaled; a refusal throws (exit 2). */
export function openGate(scenario: Scenario, env: NodeJS.ProcessEnv, journal: Journal, now = new Date()): { who?: string } {
  if (scenario.gate.environment !== 'production') return {};
  const d = decideGate(scenario, env, now);
  audit(journal, 'gate', { decision: d.ok ? 'allowed' : 'refused', who: d.who, reasons: d.ok ? undefined : d.reasons, scenarioSha256: d.scenarioSha256 });
  if (!d.ok) throw new GateRefusedError(d.reasons);
  return { who: d.who };
}

/**
 * `doubletap proxy` / `relay` with a production scenario would duplicate with no gate and no stop
 * conditions: production goes through `doubletap run` (its own proxy, or `attach:` to standing ones).
 */
export function refuseUngatedProduction(scenario: Scenario, command: string): void {
  if (scenario.gate.environment !== 'production') return;
  throw new GateRefusedError([`gate.environment: production scenarios run through \`doubletap run\` (gate, stop conditions), not \`doubletap ${command}\`; for a proxy in the path use \`doubletap proxy --standing\` and arm it from the run (attach:)`]);
}
