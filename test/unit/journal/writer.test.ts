import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('a journal that cannot be opened at start is a ConfigError naming the label and the file (exit 2)', () => {
    expect(() => new Journal(dir, { label: '--journal' })).to.throw(/--journal: cannot write .* \(EISDIR\)/);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => new Journal(join(dir, 'file', 'journal.jsonl'))).to.throw(/journal: .*file is a file, not a directory/);
  });

  for (const sync of [false, true]) {
    it(`a journal that fails mid-run (/dev/full, sync=${sync}) is loud once, counts every lost line, never throws`, async () => {
      const errors: string[] = [];
      let lost = 0;
      const j = new Journal('/dev/full', { sync, onError: (e) => errors.push((e as NodeJS.ErrnoException).code!), onLost: () => lost++ });
      j.write({ kind: 'original', id: 'o-1', rule: 'r', status: 201 });
      await new Promise((r) => setTimeout(r, 50)); // the async stream reports ENOSPC here
      j.write({ kind: 'original', id: 'o-2', rule: 'r', status: 201 });
      j.write({ kind: 'original', id: 'o-3', rule: 'r', status: 201 });
      await j.close();
      expect(errors).to.deep.equal(['ENOSPC']);
      expect((j.failure as NodeJS.ErrnoException).code).to.equal('ENOSPC');
      expect(lost).to.equal(3); // the failed write's own line too (async: its whole batch)
      expect(j.lost).to.equal(lost);
      expect(j.tally.get('r').originals).to.equal(3); // the in-memory counts stay whole
    });
  }
});
