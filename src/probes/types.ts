// The probe contract: read one number from the system's own books. Every failure is a ProbeError.

export type ProbeKind = 'sql' | 'http' | 'prometheus';

export interface Probe {
  name: string;
  kind: ProbeKind;
  /** One reading; throws ProbeError (never a secret in the message). */
  read(): Promise<number>;
  /** Releases pools/sockets; safe to call twice. */
  close(): Promise<void>;
}
