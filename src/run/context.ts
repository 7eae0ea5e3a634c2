// What every chaos component of one run shares: metrics, journal, halt switch, budget, logger.
import { Budget } from '../chaos/budget';
import { HaltSwitch } from '../chaos/halt';
import { Journal } from '../journal/writer';
import type { Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import type { Scenario } from '../scenario/schema';

export interface ChaosContext {
  metrics: Metrics;
  journal: Journal;
  halt: HaltSwitch;
  budget: Budget;
  logger: Logger;
}

export function createChaosContext(scenario: Scenario, journalFile: string | undefined, logger: Logger): ChaosContext {
  return {
    metrics: createMetrics(),
    journal: new Journal(journalFile),
    halt: new HaltSwitch(),
    budget: new Budget(scenario.budget),
    logger,
  };
}
