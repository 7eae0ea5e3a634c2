// What every gate check sees. A check is pure: it returns the reasons it refuses (none = allowed).
import type { Policy } from '../scenario/schema-gate';
import type { Scenario } from '../scenario/schema';

export interface GateInput {
  scenario: Scenario;
  /** Undefined when the policy file is missing or invalid (that is itself a reason). */
  policy: Policy | undefined;
  /** Where the policy came from, for messages. */
  policyFile: string | undefined;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** sha256 of the scenario's canonical content (what an approval file is bound to). */
  scenarioHash: string;
}

export type GateCheck = (input: GateInput) => string[];
