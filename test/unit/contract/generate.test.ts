// Generated requests are valid: every body passes ajv against its (dereferenced) schema, every path,
// query and header parameter against its own; and the same seed gives the same requests.
import { expect } from 'chai';
import { validator } from '../../helpers/schema-validator';
import { join } from 'node:path';
import { CHECK_NAMES, type Operation } from '../../../src/contract/types';
import { planOtherBody, planRequest } from '../../../src/contract/plan';
import { canonicalJson } from '../../../src/http/response-identity';
import { generate, mergeAllOf, rngFor } from '../../../src/contract/generate';
import { prepare } from './prepare';

const DIR = join(__dirname, '..', '..', 'fixtures', 'openapi', 'valid');
const FIXTURES = ['rich-3.0.yaml', 'rich-3.1.json', join('..', '..', '..', '..', 'examples', 'shop', 'openapi.yaml')];
const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

function paramValues(op: Operation, url: URL, headers: Record<string, string>): Array<[string, unknown, object]> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const re = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
  const m = re.exec(url.pathname);
  expect(m, `${url.pathname} must match ${op.path}`).to.not.equal(null);
  const out: Array<[string, unknown, object]> = [];
  for (const p of op.parameters) {
    let raw: string | undefined | null;
    if (p.in === 'path') raw = decodeURIComponent(m![names.indexOf(p.name) + 1]);
    else if (p.in === 'query') raw = url.searchParams.get(p.name);
    else raw = headers[p.name];
    if (!p.required) continue;
    expect(raw, `${op.id} ${p.in} ${p.name}`).to.be.a('string');
    const type = (p.schema as { type?: string }).type;
    out.push([`${p.in}:${p.name}`, type === 'integer' || type === 'number' ? Number(raw) : raw, p.schema]);
  }
  return out;
}

describe('contract: generated requests', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture}: every body and parameter valid for every operation, check and 25 seeds`, async () => {
      const { spec, ops } = await prepare(join(DIR, fixture));
      const valid = validator(spec.version);
      let bodies = 0;
      for (const op of ops.filter((o) => !o.unsupported)) {
        for (const seed of SEEDS) {
          for (const check of CHECK_NAMES) {
            const o = { baseUrl: 'http://127.0.0.1:9/api', seed, file: fixture };
            const req = planRequest(op, check, 0, o);
            const url = new URL(req.url);
            expect(url.pathname.startsWith('/api/'), req.url).to.equal(true);
            url.pathname = url.pathname.slice(4);
            expect(req.url).to.not.include('{');
            for (const [name, value, schema] of paramValues(op, url, req.headers)) {
              expect(valid(schema, value), `${op.id} ${name}=${String(value)} (seed ${seed})`).to.equal(undefined);
            }
            if (!op.body) continue;
            expect(req.headers['content-type']).to.equal(op.body.mediaType);
            expect(valid(op.body.schema, req.body), `${op.id} ${check} seed ${seed}: ${JSON.stringify(req.body)}`).to.equal(undefined);
            bodies++;
            const other = planOtherBody(op, check, req, o);
            if (other) {
              expect(canonicalJson(other.body)).to.not.equal(canonicalJson(req.body));
              expect(valid(op.body.schema, other.body), `other body of ${op.id}`).to.equal(undefined);
              expect(other.url, 'a changed body goes to the same resource').to.equal(req.url);
            }
          }
        }
      }
      expect(bodies).to.be.greaterThan(100);
      // The validator does reject: an empty body misses required fields.
      expect(valid(ops[0].body!.schema, {})).to.be.a('string');
    });
  }

  it('is deterministic: the same seed gives the same requests, another seed other bodies', async () => {
    const { ops } = await prepare(join(DIR, 'rich-3.0.yaml'));
    const op = ops[0];
    const o = { baseUrl: 'http://x', seed: 7, file: 'f' };
    expect(planRequest(op, 'concurrent-duplicate', 0, o)).to.deep.equal(planRequest(op, 'concurrent-duplicate', 0, o));
    const others = SEEDS.map((seed) => canonicalJson(planRequest(op, 'concurrent-duplicate', 0, { ...o, seed }).body));
    expect(new Set(others).size).to.be.greaterThan(20);
    // Checks of one operation get different bodies, so a natural-key constraint cannot make them collide.
    const perCheck = CHECK_NAMES.map((c) => canonicalJson(planRequest(op, c, 0, o).body));
    expect(new Set(perCheck).size).to.equal(CHECK_NAMES.length);
  });

  it('uses the media-type example for the first body of the sequential check', async () => {
    const { ops } = await prepare(join(DIR, FIXTURES[2]));
    const req = planRequest(ops[0], 'sequential-duplicate', 0, { baseUrl: 'http://x', seed: 1, file: 'f' });
    expect(req.body).to.deep.equal({ sku: 'A-100', amount_cents: 1250 });
  });

  it('generates enums, consts, bounds, formats and merged allOf directly', () => {
    const rng = rngFor('t');
    expect(generate({ enum: ['a', 'b', null] }, rng, '#')).to.be.oneOf(['a', 'b']);
    expect(generate({ const: 3 }, rng, '#')).to.equal(3);
    for (let i = 0; i < 50; i++) {
      const n = generate({ type: 'integer', minimum: 10, maximum: 12, multipleOf: 2 }, rng, '#') as number;
      expect(n).to.be.oneOf([10, 12]);
      const x = generate({ type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true }, rng, '#') as number;
      expect(x).to.be.greaterThan(0).and.lessThan(1);
    }
    expect(generate({ type: 'string', format: 'uuid' }, rng, '#')).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(mergeAllOf({ allOf: [{ required: ['a'], properties: { a: {} } }, { required: ['b'], properties: { b: {} } }] })).to.deep.equal({
      properties: { a: {}, b: {} }, required: ['a', 'b'],
    });
  });
});
