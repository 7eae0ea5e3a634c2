// Every invalid fixture gives a ConfigError (exit 2) naming the file and the JSON pointer of the problem,
// found before any request is planned.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, EXIT } from '../../../src/errors';
import { prepare, SELECT } from './prepare';
import { loadOpenApi } from '../../../src/contract/spec-load';

const DIR = join(__dirname, '..', '..', 'fixtures', 'openapi');
const EXPECTED: Record<string, string> = {
  'not-yaml.yaml': 'not-yaml.yaml: not valid YAML or JSON (line 3, column 1)',
  'swagger-2.yaml': 'swagger-2.yaml#/swagger: Swagger 2.0 is not supported; convert it to OpenAPI 3.0 or 3.1',
  'unsupported-version.yaml': 'unsupported-version.yaml#/openapi: version 3.2.0 is not supported',
  'missing-info.yaml': 'missing-info.yaml#: missing required field info',
  'broken-ref.yaml': 'broken-ref.yaml#/paths/~1orders/post/requestBody/content/application~1json/schema/$ref: $ref #/components/schemas/Nope points to nothing',
  'remote-ref.yaml': 'remote-ref.yaml#/paths/~1orders/post/requestBody/content/application~1json/schema/$ref: remote $ref https://example.com/schemas/order.json is not fetched',
  'wrong-type.yaml': 'wrong-type.yaml#/paths/~1orders/post/responses/201/description: must be string',
  'undeclared-path-param.yaml': 'undeclared-path-param.yaml#/paths/~1orders~1{id}/put: path parameter {id} is not declared',
  'bad-probe.yaml': 'bad-probe.yaml#/paths/~1orders/post/x-doubletap-probe: not a probe',
  'pattern-without-example.yaml': 'pattern-without-example.yaml#/paths/~1orders/post/requestBody/content/application~1json/schema/properties/code: pattern ^[A-Z]{3}-[0-9]{4}$ is not generated; give the schema an example',
  'no-mutating-operation.yaml': 'no-mutating-operation.yaml: no mutating operation (POST, PUT, PATCH, DELETE) to test',
};

describe('contract: invalid OpenAPI documents', () => {
  it('has one expectation per fixture, and one fixture per expectation', () => {
    expect(readdirSync(join(DIR, 'invalid')).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  for (const [fixture, message] of Object.entries(EXPECTED)) {
    it(`${fixture}: ${message.replace(/^[^:#]+/, '').slice(0, 70)}…`, async () => {
      const err = await prepare(join(DIR, 'invalid', fixture)).then(() => undefined, (e: unknown) => e);
      expect(err, 'must be a ConfigError').to.be.instanceOf(ConfigError);
      expect((err as ConfigError).exitCode).to.equal(EXIT.invalid);
      expect((err as ConfigError).issues.join('\n')).to.include(message);
    });
  }

  it('a missing file names the flag and the file', async () => {
    const err = (await loadOpenApi('/nonexistent/spec.yaml').catch((e: unknown) => e)) as ConfigError;
    expect(err.issues).to.deep.equal(['--openapi: cannot read /nonexistent/spec.yaml: ENOENT']);
  });

  it('--only naming nothing, and nothing marked with --operations marked, are errors; the shop spec loads', async () => {
    const rich = join(DIR, 'valid', 'rich-3.0.yaml');
    const err = (await prepare(rich, { ...SELECT, only: ['/nope'] }).catch((e: unknown) => e)) as ConfigError;
    expect(err.issues[0]).to.match(/^--only: \/nope matches no mutating operation \(have: POST \/accounts/);
    const shop = join(__dirname, '..', '..', '..', 'examples', 'shop', 'openapi.yaml');
    const unmarked = (await prepare(join(DIR, 'invalid', 'undeclared-path-param.yaml'), { ...SELECT, operations: 'marked' }).catch((e: unknown) => e)) as ConfigError;
    expect(unmarked).to.be.instanceOf(ConfigError); // its path parameter error comes first: nothing is half-checked
    const file = join(DIR, 'valid', 'rich-3.0.yaml');
    const err2 = (await prepare(file, { ...SELECT, only: ['POST /documents'], operations: 'marked' }).catch((e: unknown) => e)) as ConfigError;
    expect(err2.issues).to.deep.equal([`${file}: no mutating operation (POST, PUT, PATCH, DELETE) marked with x-idempotency (use --operations all to test every one) to test`]);
    expect((await prepare(shop)).ops.map((o) => o.id)).to.deep.equal(['POST /orders']);
  });
});

describe('contract: operations from valid documents', () => {
  it('rich-3.0: every mutating operation, marks, required keys, non-JSON bodies flagged', async () => {
    const { spec, ops } = await prepare(join(DIR, 'valid', 'rich-3.0.yaml'));
    expect(spec.version).to.equal('3.0');
    expect(ops.map((o) => [o.id, o.marked, o.keyRequired])).to.deep.equal([
      ['POST /accounts/{accountId}/transfers', true, true],
      ['PUT /accounts/{accountId}', true, false],
      ['PATCH /accounts/{accountId}', false, false],
      ['DELETE /accounts/{accountId}/cards/{cardNumber}', true, true],
      ['POST /documents', false, false],
    ]);
    expect(ops[4].unsupported).to.equal('request body is multipart/form-data: only JSON bodies are generated');
    // The key header is the checks' to set, so it is not among the generated parameters.
    expect(ops[0].parameters.map((p) => `${p.in}:${p.name}`)).to.deep.equal(['path:accountId', 'query:currency', 'header:X-Tenant', 'query:trace']);
  });

  it('--operations marked keeps only x-idempotency operations; --only picks by path or by METHOD path', async () => {
    const file = join(DIR, 'valid', 'rich-3.0.yaml');
    const marked = await prepare(file, { ...SELECT, operations: 'marked' });
    expect(marked.ops.map((o) => o.id)).to.have.length(3);
    const byPath = await prepare(file, { ...SELECT, only: ['/accounts/{accountId}'] });
    expect(byPath.ops.map((o) => o.id)).to.deep.equal(['PUT /accounts/{accountId}', 'PATCH /accounts/{accountId}']);
    const byOp = await prepare(file, { ...SELECT, only: ['patch /accounts/{accountId}'] });
    expect(byOp.ops.map((o) => o.id)).to.deep.equal(['PATCH /accounts/{accountId}']);
  });
});
