// A stop condition, evaluated every interval during the chaos window. read() gives the current value,
// `undefined` when there is nothing to judge this interval (too few requests), or throws when the
// value cannot be read (counted towards the fail-closed halt).
import type { ProbeKeys } from '../scenario/schema-probes';
export interface StopSource {
  name: string;
  read(): Promise<number | undefined>;
  /** Why this value trips the condition (e.g. "0.31 above 0.05"), or undefined when it does not. */
  trips(value: number): string | undefined;
  close(): Promise<void>;
}

/** Cumulative counts of originals as the proxy (or every attached proxy) saw them. */
export interface UpstreamCounts {
  originals: number;
  errors5xx: number;
}

export interface StopDeps {
  env: NodeJS.ProcessEnv;
  /** A keyed probe's keys so far (the run's tally); undefined when the list outgrew its bound. */
  keysFor?: (keys: ProbeKeys) => readonly string[] | undefined;
  /** The upstream's answers so far; attach mode sums the standing proxies' counts. */
  upstreamCounts: () => Promise<UpstreamCounts> | UpstreamCounts;
}
