// The probe contract: read one number from the system's own books. Every failure is a ProbeError.
import type { ProbeKeys } from '../scenario/schema-probes';

export type ProbeKind = 'sql' | 'http' | 'prometheus';

export interface Probe {
  name: string;
  kind: ProbeKind;
  /** A keyed probe: reads the books for exactly these identity keys (src/scenario/schema-probes.ts). */
  keys?: ProbeKeys;
  /** One reading; throws ProbeError (never a secret in the message). A keyed probe needs `keys`. */
  read(keys?: readonly string[]): Promise<number>;
  /** Releases pools/sockets; safe to call twice. */
  close(): Promise<void>;
}
