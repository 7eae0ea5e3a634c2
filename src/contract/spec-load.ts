// Reads an OpenAPI 3.0/3.1 document (YAML or JSON), finds every problem with its JSON pointer, then
// resolves $refs with @readme/openapi-parser. Any problem is a ConfigError (exit 2) before a request is sent.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dereference } from '@readme/openapi-parser';
import { parseDocument } from 'yaml';
import { ConfigError, messageOf } from '../errors';
import { pathParamErrors, refErrors, schemaErrors } from './spec-validate';

export interface OpenApiDocument {
  file: string;
  version: '3.0' | '3.1';
  /** The document as written ($refs intact): pointers in errors refer to it. */
  raw: Record<string, unknown>;
  /** Every $ref replaced by its target (shared objects, circular refs kept as cycles). */
  resolved: Record<string, unknown>;
}

export async function loadOpenApi(file: string): Promise<OpenApiDocument> {
  const path = resolve(file);
  const raw = parseSpecText(file, await readSpec(file, path));
  const version = specVersion(file, raw);
  const problems = [...refErrors(raw), ...schemaErrors(raw, version), ...pathParamErrors(raw)];
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}${p}`));
  let resolved: Record<string, unknown>;
  try {
    resolved = (await dereference(structuredClone(raw) as never, { dereference: { circular: true } })) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`${file}: cannot resolve $refs: ${messageOf(err)}`]);
  }
  return { file, version, raw, resolved };
}

async function readSpec(file: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`--openapi: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? messageOf(err)}`]);
  }
}

function parseSpecText(file: string, text: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new ConfigError([`${file}: not valid YAML or JSON${where}: ${e.message.split('\n')[0]}`]);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([`${file}#: an OpenAPI document must be an object (got ${Array.isArray(value) ? 'a list' : typeof value})`]);
  }
  return value as Record<string, unknown>;
}

function specVersion(file: string, doc: Record<string, unknown>): '3.0' | '3.1' {
  if ('swagger' in doc) throw new ConfigError([`${file}#/swagger: Swagger ${String(doc.swagger)} is not supported; convert it to OpenAPI 3.0 or 3.1`]);
  const v = doc.openapi;
  if (typeof v !== 'string') throw new ConfigError([`${file}#/openapi: missing or not a string; expected 3.0.x or 3.1.x`]);
  const m = /^3\.([01])\.\d+$/.exec(v);
  if (!m) throw new ConfigError([`${file}#/openapi: version ${v} is not supported; expected 3.0.x or 3.1.x`]);
  return m[1] === '0' ? '3.0' : '3.1';
}
