// `doubletap halt` and `doubletap status` as child processes against a real control server.
import { expect } from 'chai';
import { createServer } from 'node:net';
import { HaltSwitch } from '../../../src/chaos/halt';
import { startControlServer, type ControlServer } from '../../../src/control/server';
import { silentLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics';
import { runCli } from '../../helpers/cli';

const TOKEN = 'cli-token-51c0';
// Isolate the children from the developer's shell.
const CLEAN = { DOUBLETAP_CONTROL: undefined, DOUBLETAP_TOKEN: undefined };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('doubletap halt | status (child process)', function () {
  this.timeout(60_000);
  let control: ControlServer;
  let halt: HaltSwitch;

  beforeEach(async () => {
    halt = new HaltSwitch();
    control = await startControlServer({
      listen: '127.0.0.1:0', token: TOKEN, halt, registry: createMetrics().registry,
      status: () => ({ phase: 'chaos', copies: 4 }), logger: silentLogger(),
    });
  });
  afterEach(() => control.close());

  it('status prints the snapshot as pretty JSON (exit 0)', async () => {
    const r = await runCli(['status', '--control', control.url], { env: CLEAN });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ phase: 'chaos', copies: 4, halted: false, haltReason: null });
    expect(r.stdout).to.contain('\n  "phase": "chaos"');
  });

  it('halt --token --reason halts the server (exit 0); status then shows it', async () => {
    const r = await runCli(['halt', '--control', control.url, '--token', TOKEN, '--reason', 'manual stop'], { env: CLEAN });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('halted: manual stop\n');
    expect(halt.reason).to.equal('manual stop');
    const s = await runCli(['status'], { env: { ...CLEAN, DOUBLETAP_CONTROL: control.url } });
    expect(JSON.parse(s.stdout)).to.include({ halted: true, haltReason: 'manual stop' });
  });

  it('halt takes the URL and token from DOUBLETAP_CONTROL and DOUBLETAP_TOKEN', async () => {
    const r = await runCli(['halt'], { env: { DOUBLETAP_CONTROL: control.url, DOUBLETAP_TOKEN: TOKEN } });
    expect(r.code, r.stderr).to.equal(0);
    expect(halt.halted).to.equal(true);
  });

  it('halt without or with a wrong token: a clear 401 message, exit 2, switch untouched', async () => {
    const none = await runCli(['halt', '--control', control.url], { env: CLEAN });
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/refused the request \(401\): a token is required; pass --token or set DOUBLETAP_TOKEN/);
    const wrong = await runCli(['halt', '--control', control.url, '--token', 'nope'], { env: CLEAN });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.match(/\(401\): wrong token/);
    expect(wrong.stderr).not.to.contain('nope');
    expect(halt.halted).to.equal(false);
  });

  it('an unreachable control URL: an error naming the address, exit 2', async () => {
    const port = await freePort();
    const r = await runCli(['status', '--control', `http://127.0.0.1:${port}`], { env: CLEAN });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal(`doubletap: cannot reach control API at http://127.0.0.1:${port}: ECONNREFUSED\n`);
    const bad = await runCli(['halt', '--control', 'http://'], { env: CLEAN });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--control');
  });
});
