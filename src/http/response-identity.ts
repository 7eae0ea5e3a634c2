// What a response says about the resource it describes. Two answers prove the same write only when
// they name the same resource: the same identity (a JSON pointer per rule, or an automatic `id`/`*_id`
// choice), compared on canonical JSON so key order and whitespace never matter. Equal bytes alone prove
// nothing: a service that runs every duplicate and answers `204` looks identical each time.
// Pure (no I/O): the copy sender, the classifier and `doubletap contract` share it.

/** JSON with object keys sorted at every level and no whitespace: equal values, equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** RFC 6901 JSON pointer (`/order_id`, `/data/id`, `/items/0/id`); `''` is the whole document. */
export function valueAtPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** True when `pointer` is a syntactically valid JSON pointer. */
export function isJsonPointer(pointer: string): boolean {
  return pointer === '' || (pointer.startsWith('/') && !/~[^01]/.test(pointer));
}

/**
 * Fields that change on every answer even when the stored response is replayed correctly (a fresh
 * trace per HTTP exchange), or that echo the request rather than name a resource: never an identity.
 */
const NOT_IDENTITY = /^(request|trace|span|correlation|causation|idempotency|idempotency_key|message|event|log|session|client|tenant|account|user|customer)_?id$/i;

const ID_FIELD = /(^id$)|(_id$)|(^[a-z]+Id$)/;

function usable(v: unknown): boolean {
  return (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * What the request itself said: an answer field holding one of these names nothing the service made.
 * A client-chosen id (`{"id":"ord-1"}` in the request), a product or account the request names, or the
 * Idempotency-Key comes back the same from a service that runs every duplicate. Strings match any
 * string in the request; numbers match only a top-level request field of the same name (an order id
 * 250 and an amount of 250, or an item id 3 and order 3, meet by chance).
 */
export class RequestEchoes {
  private values: Set<string> | undefined;
  private text: string | undefined;

  /** `body`: the request body (JSON or not); `key`: the identity header's value. */
  private constructor(
    private readonly body: Buffer | undefined,
    private readonly key: string | undefined,
  ) {}

  static of(body: Buffer | undefined, key: string | undefined): RequestEchoes {
    return new RequestEchoes(body, key);
  }

  has(field: string, v: unknown): boolean {
    if (typeof v === 'string' && v === this.key) return true;
    // Most ids appear nowhere in the request: a substring test spares the parse. A body with escapes
    // might spell the value otherwise, so it is parsed whatever the test says.
    this.text ??= this.body?.toString('utf8') ?? '';
    const needle = typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : String(v);
    if (!this.text.includes(needle) && !this.text.includes('\\')) return false;
    const values = (this.values ??= this.collected());
    return typeof v === 'string' ? values.has(`s:${v}`) : values.has(`n:${field}=${String(v)}`);
  }

  private collected(): Set<string> {
    const values = new Set<string>();
    try {
      const doc = parsed(this.text);
      if (doc !== undefined) collect(doc, 0, '', values);
    } catch {
      // A client's body nested deeper than the stack: no echoes rather than an exception in the
      // answer's handler (this runs inside undici's and node:http's callbacks).
    }
    return values;
  }
}

/** Strings anywhere; numbers only as top-level fields, where a client-chosen id sits (`items[].id`
 * numbers of a cart meet small order ids by chance). */
function collect(v: unknown, depth: number, field: string, into: Set<string>): void {
  if (typeof v === 'string' && v !== '') into.add(`s:${v}`);
  else if (typeof v === 'number' && Number.isFinite(v)) {
    if (depth === 1) into.add(`n:${field}=${v}`);
  } else if (Array.isArray(v)) for (const item of v) collect(item, depth + 1, field, into);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, depth + 1, k, into);
}

/** Echoed ids are never identities: lazily built, since most answers are judged without reading them. */
type Echoes = () => RequestEchoes;

/**
 * The identity fields of one object level: `id` alone if present, else every `*_id`/`…Id` field; a field
 * that echoes the request is skipped (`seen.echoed` notes that one was).
 */
function idFieldsOf(obj: Record<string, unknown>, echoes: Echoes | undefined, seen: { echoed: boolean }): Record<string, unknown> | undefined {
  const own = (k: string, v: unknown): boolean => {
    if (!usable(v)) return false;
    if (echoes?.().has(k, v)) return !(seen.echoed = true);
    return true;
  };
  if (own('id', obj.id)) return { id: obj.id };
  const found: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'id' && ID_FIELD.test(k) && !NOT_IDENTITY.test(k) && own(k, v)) found[k] = v;
  return Object.keys(found).length > 0 ? found : undefined;
}

/** Envelopes APIs commonly wrap the resource in: `{ "data": { "id": … } }`. */
const ENVELOPES = ['data', 'result', 'resource', 'item'];

export interface ResponseIdentity {
  /** Canonical JSON of the identity value(s); compare with ===. Absent when every id field echoed the request. */
  value?: string;
  /** Where it was read: the configured pointer, or the automatic fields (`/id`, `/data/order_id`). */
  source: string;
  /** Every id field found repeats the request: the answer names nothing the service made. */
  echoed?: boolean;
}

/**
 * The resource identity of a response body: at `pointer` when one is configured, otherwise `id`, or the
 * `*_id` fields (together), at the top level or inside a `data`/`result` envelope. `body` is the parsed
 * JSON or raw bytes/text; undefined when the body is empty, not JSON, or names no resource. With
 * `echoesOf` (what the request sent), id fields that only repeat the request are skipped; when nothing
 * else is left the result has no value and says `echoed`.
 */
export function responseIdentity(body: unknown, pointer?: string, echoesOf?: Echoes): ResponseIdentity | undefined {
  const doc = parsed(body);
  if (doc === undefined) return undefined;
  let built: RequestEchoes | undefined;
  const echoes = echoesOf && (() => (built ??= echoesOf()));
  if (pointer !== undefined) {
    const v = valueAtPointer(doc, pointer);
    if (v === undefined || v === null || v === '') return undefined;
    const field = pointer.slice(pointer.lastIndexOf('/') + 1);
    if ((typeof v === 'string' || typeof v === 'number') && echoes?.().has(field, v)) return { source: pointer, echoed: true };
    return { value: canonicalJson(sameScalars(v)), source: pointer };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const top = doc as Record<string, unknown>;
  const candidates: Array<[string, unknown]> = [['', top], ...ENVELOPES.map((e): [string, unknown] => [`/${e}`, top[e]])];
  const seen = { echoed: false };
  for (const [prefix, level] of candidates) {
    if (level === null || typeof level !== 'object' || Array.isArray(level)) continue;
    const fields = idFieldsOf(level as Record<string, unknown>, echoes, seen);
    if (fields) return { value: canonicalJson(sameScalars(fields)), source: Object.keys(fields).map((k) => `${prefix}/${k}`).join(',') };
  }
  return seen.echoed ? { source: 'echo', echoed: true } : undefined;
}

/**
 * An id 5 and an id "5" name the same resource: a service that answers the first time from its DTO and
 * replays from a stored row (node-pg returns bigint as a string) is not running the write again.
 */
function sameScalars(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(sameScalars);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sameScalars(x)]));
  return v;
}

const MISSING = Symbol('not json');

/** A parsed JSON document from bytes, text or an already parsed value; undefined when there is none. */
function parsed(body: unknown): unknown {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    if (text.trim() === '') return undefined;
    const v = tryParse(text);
    return v === MISSING ? undefined : v;
  }
  return body;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return MISSING;
  }
}

/** Canonical JSON of a body when it is JSON (so reordered keys compare equal), else undefined. */
export function canonicalBody(body: Buffer | string | undefined): string | undefined {
  const doc = parsed(body);
  return doc === undefined ? undefined : canonicalJson(doc);
}
