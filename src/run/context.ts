// What every chaos component of one run shares: metrics, journal, halt switch, budget, logger.
import { Budget } from '../chaos/budget';
import { EXIT } from '../errors';
import { HaltSwitch } from '../chaos/halt';
import { Journal, type JournalOptions } from '../journal/writer';
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
  const metrics = createMetrics();
  return {
    metrics,
    journal: new Journal(journalFile, journalReporting('journal', logger, metrics)),
    halt: new HaltSwitch(),
    budget: new Budget(scenario.budget),
    logger,
  };
}

/** A journal failing mid-run is loud (one error line), counted, and makes the run inconclusive. */
export function journalReporting(label: string, logger: Logger, metrics: Metrics): JournalOptions {
  return {
    label,
    onError: (err) =>
      logger.error(`${label}: writing the journal failed (${(err as NodeJS.ErrnoException).code ?? err.message}); lines are lost from here on and the run cannot pass`, { label }),
    onLost: () => metrics.journalLinesLost.inc(),
  };
}

/** After a proxy or relay stops: the counts printed are whole (in memory), the file is not. Say so, exit 4. */
export function exitIfJournalFailed(journal: Journal, file: string | undefined): void {
  if (!journal.failure) return;
  const code = (journal.failure as NodeJS.ErrnoException).code ?? journal.failure.message;
  process.stderr.write(`doubletap: the journal ${file} failed (${code}); ${journal.lost} lines lost\n`);
  process.exitCode = EXIT.inconclusive;
}
