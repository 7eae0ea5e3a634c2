// One error family with stable codes; the CLI and the control API translate them in one place each.

export const EXIT = { pass: 0, fail: 1, invalid: 2, aborted: 3, inconclusive: 4 } as const;

export class DoubletapError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = 1,
    readonly retriable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A scenario or flag problem found before anything starts. Each issue names its path. */
export class ConfigError extends DoubletapError {
  constructor(readonly issues: string[]) {
    super('CONFIG_INVALID', issues.join('\n'), EXIT.invalid);
  }
}

/** A required service could not be reached at start; the message names its address. */
export class UnreachableError extends DoubletapError {
  constructor(readonly address: string, cause: string) {
    super('UNREACHABLE', `cannot reach ${address}: ${cause}`, EXIT.invalid, true);
  }
}

/** A probe could not be read: the run becomes inconclusive, never pass. */
export class ProbeError extends DoubletapError {
  constructor(readonly probe: string, cause: string) {
    super('PROBE_FAILED', `probe ${probe}: ${cause}`, EXIT.inconclusive, true);
  }
}

export class AbortedError extends DoubletapError {
  constructor(reason: string) {
    super('ABORTED', `aborted: ${reason}`, EXIT.aborted);
  }
}

export class AuthError extends DoubletapError {
  constructor(message = 'missing or wrong bearer token') {
    super('UNAUTHORIZED', message, EXIT.invalid);
  }
}

/** An unexpected error is not a verdict on the service: it exits 4 (inconclusive), never 1 (fail). */
export function exitCodeFor(err: unknown): number {
  return err instanceof DoubletapError ? err.exitCode : EXIT.inconclusive;
}

export function httpStatusFor(err: unknown): number {
  if (err instanceof AuthError) return 401;
  if (err instanceof ConfigError) return 400;
  if (err instanceof UnreachableError) return 502;
  return 500;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
