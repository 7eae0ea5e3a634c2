// Finds the mutating operations of a resolved OpenAPI document: their parameters, JSON body, whether the
// key is required, and the probe that watches their side effects (x-doubletap-probe or a mapping file).
import { ConfigError } from '../errors';
import { probe as probeSchema, type ProbeSpec } from '../scenario/schema-probes';
import { joinPointer } from './json-pointer';
import type { JsonSchema, Operation, ParameterSpec } from './types';

export const MUTATING = ['post', 'put', 'patch', 'delete'] as const;

export interface SelectOptions {
  /** `all` mutating operations, or only those `marked` with x-idempotency. */
  operations: 'all' | 'marked';
  /** `/orders` or `POST /orders`; empty = every selected operation. */
  only: string[];
  keyHeader: string;
  /** From --probes: `POST /orders` → probe; wins over x-doubletap-probe. */
  probes: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

export function findOperations(doc: Obj, file: string, opts: SelectOptions): Operation[] {
  const all: Operation[] = [];
  const issues: string[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Obj>)) {
    for (const method of MUTATING.filter((m) => item?.[m])) {
      all.push(toOperation(path, method, item, opts, file, issues));
    }
  }
  for (const id of Object.keys(opts.probes)) {
    if (!all.some((o) => o.id === id)) issues.push(`--probes: ${id} is not a mutating operation of ${file}`);
  }
  const picked = all.filter((o) => opts.operations === 'all' || o.marked).filter((o) => matchesOnly(o, opts.only));
  for (const entry of opts.only.filter((e) => !all.some((o) => matchesOnly(o, [e])))) {
    issues.push(`--only: ${entry} matches no mutating operation (have: ${all.map((o) => o.id).join(', ') || 'none'})`);
  }
  if (issues.length) throw new ConfigError(issues);
  if (picked.length === 0) {
    const why = opts.operations === 'marked' ? ' marked with x-idempotency (use --operations all to test every one)' : '';
    throw new ConfigError([`${file}: no mutating operation (POST, PUT, PATCH, DELETE)${why} to test`]);
  }
  return picked;
}

/** `/orders` matches every method on that path; `post /orders` one operation. */
function matchesOnly(o: Operation, only: string[]): boolean {
  if (only.length === 0) return true;
  return only.some((entry) => {
    const m = /^(\w+)\s+(\S+)$/.exec(entry.trim());
    return m ? `${m[1].toUpperCase()} ${m[2]}` === o.id : entry.trim() === o.path;
  });
}

function toOperation(path: string, method: string, item: Obj, opts: SelectOptions, file: string, issues: string[]): Operation {
  const op = item[method] as Obj;
  const pointer = joinPointer('', 'paths', path, method);
  const id = `${method.toUpperCase()} ${path}`;
  const idem = op['x-idempotency'];
  const parameters = mergeParameters(item.parameters, op.parameters, pointer);
  const keyParam = parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === opts.keyHeader.toLowerCase());
  const out: Operation = {
    id, method: method.toUpperCase(), path, pointer,
    operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
    marked: idem !== undefined && idem !== false,
    keyRequired: Boolean(keyParam?.required) || (typeof idem === 'object' && idem !== null && (idem as Obj).required === true),
    keySchema: keyParam?.schema,
    // The key header is the check's to set; every other parameter is generated.
    parameters: parameters.filter((p) => p !== keyParam),
  };
  Object.assign(out, requestBody(op.requestBody as Obj | undefined, pointer));
  const probe = opts.probes[id] ?? op['x-doubletap-probe'];
  if (probe !== undefined) {
    // `name` labels the probe in evidence ("probe orders: +1"); the rest is an ordinary probe.
    const { name, ...spec } = (probe ?? {}) as Obj;
    const parsed = probeSchema.safeParse(spec);
    const where = id in opts.probes ? `--probes: ${id}` : `${file}#${joinPointer(pointer, 'x-doubletap-probe')}`;
    if (parsed.success) out.probe = { name: typeof name === 'string' && name ? name : 'x-doubletap-probe', spec: parsed.data as ProbeSpec, where };
    else issues.push(`${where}: not a probe: needs sql and url, http (and path), or prometheus and url`);
  }
  return out;
}

function mergeParameters(pathLevel: unknown, opLevel: unknown, pointer: string): ParameterSpec[] {
  const byKey = new Map<string, ParameterSpec>();
  const add = (list: unknown, at: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((p: Obj, i) => {
      const spec: ParameterSpec = {
        name: String(p.name), in: p.in as ParameterSpec['in'], required: p.required === true || p.in === 'path',
        schema: (p.schema as JsonSchema) ?? { type: 'string' }, example: p.example, pointer: joinPointer(at, 'parameters', i),
      };
      byKey.set(`${spec.in}:${spec.in === 'header' ? spec.name.toLowerCase() : spec.name}`, spec); // operation level overrides
    });
  };
  add(pathLevel, pointer.replace(/\/[^/]+$/, ''));
  add(opLevel, pointer);
  return [...byKey.values()];
}

function requestBody(rb: Obj | undefined, pointer: string): Pick<Operation, 'body' | 'unsupported'> {
  if (!rb?.content) return {};
  const content = rb.content as Record<string, Obj>;
  const mediaType = Object.keys(content).find((m) => /^application\/([\w.-]+\+)?json\b/i.test(m));
  if (!mediaType) return { unsupported: `request body is ${Object.keys(content).join(', ')}: only JSON bodies are generated` };
  const media = content[mediaType];
  const examples = media.examples as Record<string, Obj> | undefined;
  const example = media.example ?? (examples ? Object.values(examples)[0]?.value : undefined);
  return { body: { mediaType, schema: (media.schema as JsonSchema) ?? {}, example, pointer: joinPointer(pointer, 'requestBody', 'content', mediaType, 'schema') } };
}
