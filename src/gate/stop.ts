// A production run needs at least one automatic stop: nobody watches a nightly job.
import type { GateInput } from './types';

export function checkStopConditions(i: GateInput): string[] {
  return i.scenario.gate.stop.conditions.length > 0 ? [] : ['gate.stop.conditions: at least one stop condition is required in production'];
}
