// What every injector (the HTTP proxy, the Kafka relay, and the ones to come) gets from the run: the
// seed its decisions hang on, the shared safety switches, and where it reports. One shape, so a new
// injector is wired into `doubletap run` the same way as the existing ones.
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Budget } from './budget';
import type { HaltSwitch } from './halt';

export interface ChaosContext {
  seed: number;
  /** Journal every decision, send no copy. */
  dryRun: boolean;
  /** Shared by every injector of a run: the run's total copy budget. */
  budget: Budget;
  halt: HaltSwitch;
  metrics: Metrics;
  journal: Journal;
  logger: Logger;
}
