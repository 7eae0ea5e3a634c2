// docs/scenario-reference.md is generated from the schema: fail when someone changed the schema (or the
// hand-written guide) without running `npm run docs`.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { scenarioJsonSchema } from '../../../src/scenario/json-schema';
import { scenarioSchema } from '../../../src/scenario/schema';

const ROOT = join(__dirname, '../../..');

interface Generator {
  renderReference(o: { input: unknown; output: unknown; guide: string }): string;
}

async function regenerate(): Promise<string> {
  const gen = (await import(join(ROOT, 'scripts/gen-scenario-reference.mjs'))) as Generator;
  return gen.renderReference({
    input: scenarioJsonSchema(),
    output: z.toJSONSchema(scenarioSchema, { io: 'output', unrepresentable: 'any' }),
    guide: readFileSync(join(ROOT, 'docs/partials/scenario-guide.md'), 'utf8'),
  });
}

describe('docs/scenario-reference.md', () => {
  it('is up to date with the schema (run `npm run docs` to regenerate)', async () => {
    const fresh = await regenerate();
    const committed = readFileSync(join(ROOT, 'docs/scenario-reference.md'), 'utf8');
    expect(committed === fresh, 'docs/scenario-reference.md is stale: run `npm run docs`').to.equal(true);
  });

  it('lists every fault kind, defaults in human units, and the hand-written sections', async () => {
    const text = await regenerate();
    for (const kind of ['replay', 'burst', 'lost-reply', 'key-reuse', 'strip-key']) {
      expect(text).to.include(`faults[] (kind: ${kind}).kind`);
    }
    expect(text).to.match(/\| `duration` \| duration \|[^\n]*`1m`/);
    expect(text).to.match(/\| `settle` \| duration \|[^\n]*`30s`/);
    expect(text).to.include('`load.http[].rate` | rate |  | `20/s`');
    for (const heading of ['## Delays', '## Durations and rates', '## `${ENV}` interpolation', '## Secrets: `env:NAME`', '## Invariant expressions', '## Fault kinds', '## Outcome vocabulary']) {
      expect(text).to.include(heading);
    }
  });
});
