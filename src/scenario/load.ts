// Read a YAML scenario, validate it, report every problem with its path, return it frozen.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, messageOf } from '../errors';
import { interpolate } from './interpolate';
import { Scenario, scenarioSchema } from './schema';

/** `http.rules[0].fraction` from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path) || '(top level)';
    let message = issue.message;
    // A refused record key (a probe named `constructor`): say why, not zod's "Invalid key in record".
    if (issue.code === 'invalid_key' && issue.issues.length > 0) message = issue.issues[0].message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    // zod's stock wording reads like a stack trace; say it the way the scenario reference does.
    if (issue.code === 'too_big' && message.startsWith('Too big')) message = `must be at most ${issue.maximum}`;
    if (issue.code === 'too_small' && message.startsWith('Too small')) message = `must be at least ${issue.minimum}`;
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      message = `must be one of ${discriminatorOptions(message)}`;
    }
    if ('input' in issue && issue.input === undefined && issue.code !== 'custom') message = 'is required';
    return `${where}: ${message}`;
  });
}

function discriminatorOptions(message: string): string {
  return (message.match(/'[^']+'/g) ?? []).map((q) => q.slice(1, -1)).join(', ') || message;
}

export function parseScenario(raw: unknown): Scenario {
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(issueLines(result.error));
  return deepFreeze(result.data);
}

/** The YAML as plain data, before validation (flags are applied to it, then it is validated). */
export function parseYaml(text: string, source = 'scenario', env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `${source}: YAML ${e.message.split('\n')[0]}`));
  }
  let data: unknown;
  try {
    // toJS() refuses an alias bomb (yaml's maxAliasCount) by throwing: that is bad input, exit 2.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError([`${source}: YAML ${messageOf(err).split('\n')[0]}`]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError([`${source}: must be a YAML mapping`]);
  const proto = protoKeys(data, '');
  if (proto.length > 0) throw new ConfigError(proto.map((at) => `${at}: __proto__ is a reserved key`));
  return interpolate(data, env) as Record<string, unknown>;
}

/** Paths of every `__proto__` key: zod drops them silently, and they must never reach an object. */
function protoKeys(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => protoKeys(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => {
    const path = at ? `${at}.${k}` : k;
    return k === '__proto__' ? [path] : protoKeys((value as Record<string, unknown>)[k], path);
  });
}

export function parseScenarioText(text: string, source = 'scenario'): Scenario {
  return parseScenario(parseYaml(text, source));
}

export function readScenarioFile(file: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read (${messageOf(err)})`]);
  }
  return parseYaml(text, file, env);
}

export function loadScenario(file: string, env: NodeJS.ProcessEnv = process.env): Scenario {
  return parseScenario(readScenarioFile(file, env));
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
