// The gate through the CLI: a refused production run exits 2 listing every reason, starts nothing,
// and leaves the refusal on record (journal audit line, no token in it).
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../helpers/cli';

const GATE_DIR = resolve(__dirname, '..', '..', 'fixtures', 'gate');

describe('doubletap run: the production gate (CLI)', function () {
  this.timeout(60_000);

  it('refuses (exit 2) listing every reason, records the refusal, starts nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dt-gate-')), 'run');
    const r = await runCli(['run', join(GATE_DIR, 'all-wrong.yaml'), '--report-dir', dir], { env: { GATE_DIR, DT_APPROVAL: 'approve-me-please-0123' } });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/the gate refused this production run \(\d+ reasons\)/);
    for (const part of ['gate.approval:', 'POST /payments is not on the allow-list', 'budget.total: must be set', 'budget.perSecond: must be set', 'budget.inFlight: must be set', 'gate.stop.conditions: at least one', 'outside the allowed windows']) {
      expect(r.stderr).to.contain(part);
    }
    expect(r.stdout).not.to.contain('listening on');
    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ kind: 'audit', event: 'gate', decision: 'refused' });
    expect(lines[0].reasons.length).to.be.at.least(7);
    expect(existsSync(join(dir, 'verdict.json'))).to.equal(false);
  });

  it('prints the content hash an approval file must carry, and writes one with `doubletap approve`', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dt-approve-')), 'approval.json');
    const env = { GATE_DIR, APPROVAL_FILE: file };
    const v = await runCli(['validate', join(GATE_DIR, 'approval-file.yaml')], { env });
    expect(v.code, v.stderr).to.equal(0);
    const hash = /content sha256 ([0-9a-f]{64})/.exec(v.stdout)![1];
    const a = await runCli(['approve', join(GATE_DIR, 'approval-file.yaml'), '--name', 'bob', '--expires', '2h', '--out', file], { env });
    expect(a.code, a.stderr).to.equal(0);
    const approval = JSON.parse(readFileSync(file, 'utf8'));
    expect(approval.name).to.equal('bob');
    expect(approval.scenarioSha256).to.equal(hash);
    const hours = (Date.parse(approval.expires) - Date.now()) / 3_600_000;
    expect(hours).to.be.within(1.9, 2.01);
  });
});
