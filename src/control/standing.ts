// Wiring of a standing proxy: the arming state the proxy consults, the session that keeps its journal
// lines for the arming run, and the control routes that arm and disarm it.
import { Arming } from '../chaos/arming';
import type { HaltSwitch } from '../chaos/halt';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { armingRoutes } from './arming-routes';
import { ArmingSession } from './arming-session';
import { ConfigError } from '../errors';
import { loadPolicy } from '../gate/policy';

export function startStanding(halt: HaltSwitch, journal: Journal, metrics: Metrics, logger: Logger, replica = `replica-${process.pid}`, policyFile?: string) {
  const loaded = policyFile ? loadPolicy(policyFile) : undefined;
  if (Array.isArray(loaded)) throw new ConfigError(loaded);
  const policy = loaded && policyFile ? { policy: loaded, file: policyFile, journal } : undefined;
  const arming = new Arming(halt);
  const session = new ArmingSession(arming, journal, metrics, logger, replica);
  return {
    arming,
    session,
    routes: (o: { pending: () => number; proxyUrl?: string; relayNames?: readonly string[] }) => armingRoutes({ arming, session, policy, ...o }),
  };
}
