// The shapes the contract test passes around: an operation from the spec, an answer, a check's verdict.
import type { ProbeSpec } from '../scenario/schema-probes';

export type JsonSchema = Record<string, unknown>;

export const CHECK_NAMES = ['sequential-duplicate', 'concurrent-duplicate', 'body-mismatch', 'missing-key', 'store-down'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type CheckStatus = 'pass' | 'fail' | 'inconclusive' | 'not-applicable';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  /** One sentence a person can act on. */
  summary: string;
  /** What was seen: answers (status, identity, replay header) and probe movements. Never bodies. */
  evidence: string[];
  /** Wall time of the check, filled in by the runner. */
  durationMs?: number;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
  example?: unknown;
  /** JSON pointer of the parameter in the document, for generation errors. */
  pointer: string;
}

export interface Operation {
  /** `POST /orders`: stable, used as the JUnit classname and in --only. */
  id: string;
  method: string;
  /** Path template as written in the spec (`/orders/{id}`). */
  path: string;
  operationId?: string;
  /** JSON pointer of the operation object (`/paths/~1orders/post`). */
  pointer: string;
  /** The key header is a required parameter, or `x-idempotency: { required: true }`. */
  keyRequired: boolean;
  /** The key header's schema, when the spec declares one (a uuid format gets uuid keys). */
  keySchema?: JsonSchema;
  /** Marked with `x-idempotency` (any value but false). */
  marked: boolean;
  parameters: ParameterSpec[];
  body?: { mediaType: string; schema: JsonSchema; example?: unknown; pointer: string };
  /** Watches the operation's side effects; `name` labels it in the evidence. */
  probe?: { name: string; spec: ProbeSpec; where: string };
  /** Why requests for this operation cannot be built (every check is then inconclusive with it). */
  unsupported?: string;
}

/** A request ready to send: everything except the key, which each check chooses. */
export interface PlannedRequest {
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface Answer {
  /** 0 when no HTTP answer came back (see error). */
  status: number;
  replayedHeader: boolean;
  /** Resource identity as a label for evidence (`id=5`), when the answer has one. */
  identity?: string;
  /** The same identity as compared (canonical JSON, src/http/response-identity.ts). */
  identityValue?: string;
  /** canonical JSON of the body (compared, never printed). */
  canonical: string;
  error?: string;
}
