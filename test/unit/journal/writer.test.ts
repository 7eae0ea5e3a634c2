import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../src/journal/writer';

describe('Journal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dt-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON line per entry and feeds the tally', async () => {
    const j = new Journal(join(dir, 'journal.jsonl'));
    j.write({ kind: 'original', id: 'o-1', rule: 'r', status: 201, key: 'k' });
    await j.close();
    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).to.deep.equal(['o-1']);
    expect(j.tally.get('r').ops).to.equal(1);
  });

  it('a file that cannot be written does not crash the process; close() reports it', async () => {
    const j = new Journal(dir); // a directory: EISDIR on open, asynchronously
    j.write({ kind: 'original', id: 'o-1', rule: 'r', status: 201 });
    await new Promise((r) => setTimeout(r, 50)); // the open error arrives here (uncaught without the fix)
    j.write({ kind: 'original', id: 'o-2', rule: 'r', status: 201 });
    const err = await j.close().then(() => undefined, (e: NodeJS.ErrnoException) => e);
    expect(err?.code).to.equal('EISDIR');
    expect(j.tally.get('r').originals).to.equal(2);
  });
});
