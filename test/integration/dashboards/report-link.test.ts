// `doubletap report RUN_DIR --grafana-url URL` (or DOUBLETAP_GRAFANA_URL): the re-rendered report links
// the experiment dashboard over the run's window; a bad URL is invalid input (exit 2), nothing written.
import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'run-dir');

describe('doubletap report: link to Grafana', function () {
  this.timeout(90_000);
  let dir: string;
  const startedAt = (): number => Date.parse(JSON.parse(readFileSync(join(FIXTURE, 'verdict.json'), 'utf8')).startedAt);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dt-report-link-'));
    cpSync(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--grafana-url adds the dashboard link over the window; without it there is none', async () => {
    const r = await runCli(['report', dir, '--grafana-url', 'http://grafana.example:3000'], { env: { DOUBLETAP_GRAFANA_URL: undefined } });
    expect(r.code, r.stderr).to.equal(0);
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(page).to.include(`href="http://grafana.example:3000/d/doubletap-experiment/doubletap-experiment?from=${startedAt() - 60_000}&amp;to=`);

    const plain = await runCli(['report', dir], { env: { DOUBLETAP_GRAFANA_URL: undefined } });
    expect(plain.code, plain.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).to.not.include('grafana-link');
  });

  it('reads DOUBLETAP_GRAFANA_URL, and refuses a URL that is not one (exit 2, no report)', async () => {
    const r = await runCli(['report', dir], { env: { DOUBLETAP_GRAFANA_URL: 'https://ops.example.com/grafana' } });
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).to.include('href="https://ops.example.com/grafana/d/doubletap-experiment/');

    rmSync(join(dir, 'index.html'));
    const bad = await runCli(['report', dir, '--grafana-url', 'grafana:3000 please']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--grafana-url');
    expect(existsSync(join(dir, 'index.html'))).to.equal(false);
  });
});
