// Generates docs/scenario-reference.md from the scenario's JSON Schema (made from the zod schema), so
// the reference can never drift from what `doubletap validate` accepts. The hand-written guide
// (durations, ${ENV}, secrets, expressions, faults, outcomes) lives in docs/partials/ and is appended.
//   npm run docs            (builds dist/, then runs this)
// test/unit/scenario/reference.test.ts regenerates in memory and fails when the file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
export const REFERENCE_FILE = fileURLToPath(new URL('docs/scenario-reference.md', root));
export const GUIDE_FILE = fileURLToPath(new URL('docs/partials/scenario-guide.md', root));

const SECTIONS = ['(top level)', 'budget', 'control', 'gate', 'health', 'timeline', 'http', 'kafka', 'load', 'probes', 'invariants'];

/** 60000 → 1m, 1500 → 1500ms: defaults of duration fields are stored in milliseconds. */
function formatMs(ms) {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms !== 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Durations and rates are both "string or number" in the input schema; the description tells them apart. */
function typeOf(node) {
  if (!node) return 'any';
  if (Array.isArray(node.type) && node.type.includes('string') && node.type.includes('number')) {
    if (/^a rate/.test(node.description ?? '')) return 'rate';
    return node.description ? 'duration' : 'string or number';
  }
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return 'string';
  if (node.type === 'array') return `list of ${typeOf(node.items)}`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return `map of ${typeOf(node.additionalProperties)}`;
  }
  const variants = node.anyOf ?? node.oneOf;
  if (variants?.every((v) => v.const !== undefined)) return [...new Set(variants.map((v) => v.type ?? typeof v.const))].join(' or ');
  if (variants) return [...new Set(variants.map(typeOf))].join(' or ');
  return node.type ?? 'any';
}

function formatDefault(value, type) {
  if (value === undefined) return '';
  if (typeof value === 'number' && type === 'duration') return `\`${formatMs(value)}\``;
  if (typeof value === 'number' && type === 'rate') return `\`${value}/s\``;
  return `\`${JSON.stringify(value)}\``;
}

function allowed(node) {
  if (!node) return '';
  const parts = [];
  if (node.enum) parts.push(node.enum.map((v) => `\`${v}\``).join(', '));
  if (node.const !== undefined) parts.push(`\`${JSON.stringify(node.const)}\``);
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${node.maximum}`);
  if (node.minLength) parts.push('not empty');
  if (node.minItems) parts.push(`at least ${node.minItems}`);
  if (node.pattern) parts.push(`matches \`${node.pattern}\``);
  if (node.format === 'uri') parts.push('a URL');
  const variants = node.anyOf ?? node.oneOf;
  if (variants?.every((v) => v.const !== undefined)) parts.push(variants.map((v) => `\`${JSON.stringify(v.const)}\``).join(', '));
  else if (variants) {
    const inner = (node.anyOf ?? node.oneOf).map(allowed).filter(Boolean);
    if (inner.length) parts.push(inner.join('; '));
  }
  return parts.join(', ');
}

/** The label of one union variant: its const discriminator (kind: replay) or its first required key. */
function variantLabel(node) {
  for (const [k, v] of Object.entries(node.properties ?? {})) if (v.const !== undefined) return `${k}: ${v.const}`;
  return node.required?.[0] ?? 'variant';
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Walks the input schema (what people write); `out` is the same place in the output schema, which
 * knows defaults the input schema cannot express (a duration's default is stored in milliseconds).
 */
function walk(node, out, path, required, rows) {
  if (!node) return;
  const variants = node.oneOf ?? node.anyOf;
  const isObjectUnion = variants && variants.every((v) => v.type === 'object' && v.properties);
  // Every `delay:` block has the same forms: list them once, in their own section.
  const isDelay = isObjectUnion && variants.every((v) => v.properties.dist?.const !== undefined);
  if (isDelay) rows.delay ??= { node, out };
  if (path) {
    const type = isDelay ? 'delay (see [Delays](#delays))' : isObjectUnion ? 'one of the forms below' : typeOf(node);
    const def = node.default !== undefined ? node.default : out?.default;
    // The generic "a duration: …" text repeats the type column: keep only field-specific descriptions.
    const description = /^a (duration|rate):/.test(node.description ?? '') ? '' : (node.description ?? '');
        // Values checked after a transform (retry.on) only show their enum in the output schema.
    const outEnum = out?.enum ?? out?.items?.enum;
    const allowedText = isObjectUnion ? '' : allowed(node) || (outEnum ? outEnum.map((v) => `\`${v}\``).join(', ') : '');
    rows.push({ path, type, required, def: formatDefault(def, type), allowed: allowedText, description });
  }
  if (isDelay) return;
  if (node.type === 'object' && node.properties) {
    walkObject(node, out, path, rows);
  } else if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    walk(node.additionalProperties, out?.additionalProperties, `${path}.<name>`, true, rows);
  } else if (node.type === 'array' && node.items?.properties) {
    // Lists of objects: their fields are listed under path[]; lists of scalars are one row.
    walkObject(node.items, out?.items, `${path}[]`, rows);
  } else if (node.type === 'array' && (node.items?.oneOf ?? node.items?.anyOf)) {
    walkVariants(node.items.oneOf ?? node.items.anyOf, out?.items, `${path}[]`, rows);
  } else if (isObjectUnion) {
    walkVariants(variants, out, path, rows);
  }
}

function walkObject(node, out, prefix, rows) {
  const req = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties)) {
    walk(child, out?.properties?.[key], prefix ? `${prefix}.${key}` : key, req.has(key), rows);
  }
}

function walkVariants(variants, out, path, rows) {
  const outVariants = out?.oneOf ?? out?.anyOf;
  variants.forEach((v, i) => {
    const o = outVariants && outVariants.length === variants.length ? outVariants[i] : undefined;
    const label = `${path} (${variantLabel(v)})`;
    walkObject(v, o, label, rows);
  });
}

function sectionOf(path) {
  const top = path.split(/[.[ ]/)[0];
  return SECTIONS.includes(top) ? top : '(top level)';
}

/** The whole reference as markdown. Pure: the test calls it with schemas made from src/. */
export function renderReference({ input, output, guide }) {
  const rows = [];
  walk(input, output, '', true, rows);
  const lines = [
    '# Scenario reference',
    '',
    '<!-- Generated by scripts/gen-scenario-reference.mjs from the zod schema (src/scenario/). Do not edit:',
    '     change the schema or docs/partials/scenario-guide.md, then run `npm run docs`. -->',
    '',
    'Every field of a scenario file, generated from the same schema `doubletap validate` uses. Durations',
    'are written `250ms`, `30s`, `5m`, `1h` (defaults below are shown the same way); rates `20/s`, `600/m`.',
    'Unknown fields are errors. Editors can use `schema/scenario.schema.json` for completion.',
    '',
  ];
  const table = (title, list) => {
    lines.push(`## ${title}`, '', '| Field | Type | Required | Default | Allowed | Description |', '|---|---|---|---|---|---|');
    for (const r of list) {
      lines.push(`| \`${cell(r.path)}\` | ${cell(r.type)} | ${r.required && r.def === '' ? 'yes' : ''} | ${cell(r.def)} | ${cell(r.allowed)} | ${cell(r.description)} |`);
    }
    lines.push('');
  };
  for (const section of SECTIONS) {
    const mine = rows.filter((r) => sectionOf(r.path) === section);
    if (mine.length > 0) table(section === '(top level)' ? 'Top level' : `\`${section}\``, mine);
  }
  if (rows.delay) {
    const delayRows = [];
    walkVariants(rows.delay.node.oneOf ?? rows.delay.node.anyOf, rows.delay.out, 'delay', delayRows);
    table('Delays', delayRows);
  }
  return `${lines.join('\n')}\n${guide.trim()}\n`;
}

/** Schemas from the build (dist/), or the committed JSON Schema when dist/ is missing (no output defaults). */
function loadSchemas() {
  const require = createRequire(import.meta.url);
  const dist = fileURLToPath(new URL('dist/src/scenario/json-schema.js', root));
  if (existsSync(dist)) {
    const { scenarioJsonSchema } = require(dist);
    const { scenarioSchema } = require(fileURLToPath(new URL('dist/src/scenario/schema.js', root)));
    const { z } = require('zod');
    return { input: scenarioJsonSchema(), output: z.toJSONSchema(scenarioSchema, { io: 'output', unrepresentable: 'any' }) };
  }
  process.stderr.write('dist/ not built: using schema/scenario.schema.json (duration defaults will be missing; run npm run docs)\n');
  return { input: JSON.parse(readFileSync(new URL('schema/scenario.schema.json', root), 'utf8')), output: undefined };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderReference({ ...loadSchemas(), guide: readFileSync(GUIDE_FILE, 'utf8') });
  writeFileSync(REFERENCE_FILE, text);
  process.stdout.write(`wrote ${REFERENCE_FILE}\n`);
}
