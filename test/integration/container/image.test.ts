// The Dockerfile, built and run for real with podman: `doubletap --help`, then the proxy in the
// container (host network) in front of an upstream on the host: one POST arrives twice, and the
// image's own HEALTHCHECK passes against the control API (and fails when there is none).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../helpers/prometheus';
import { TEST_IMAGE, buildTestImage, podman, podmanOk } from '../../helpers/podman';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';

async function waitForLog(name: string, text: string, timeoutMs: number): Promise<string> {
  const end = Date.now() + timeoutMs;
  let logs = '';
  while (Date.now() < end) {
    const r = await podman(['logs', name]);
    logs = r.stdout + r.stderr;
    if (logs.includes(text)) return logs;
    const state = await podman(['inspect', name, '--format', '{{.State.Status}}']);
    if (state.stdout.trim() === 'exited') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`container ${name} did not print "${text}" within ${timeoutMs} ms:\n${logs.slice(-3000)}`);
}

describe('container image (Dockerfile, podman)', function () {
  this.timeout(20 * 60_000);
  const suffix = randomBytes(4).toString('hex');
  const names = [`dt-proxy-${suffix}`, `dt-nocontrol-${suffix}`];
  let upstream: TestUpstream;

  before(async () => {
    await buildTestImage();
    upstream = await startUpstream({ mode: 'correct' });
  });
  after(async () => {
    for (const n of names) await podman(['rm', '-f', '-t', '0', n]).catch(() => undefined);
    await upstream?.close();
  });

  it('runs as a non-root user with doubletap as the entrypoint and a healthcheck', async () => {
    const [image] = JSON.parse(await podmanOk(['image', 'inspect', TEST_IMAGE])) as Array<{
      Config: { User: string; Entrypoint: string[] }; Healthcheck?: { Test: string[]; Timeout: number };
    }>;
    expect(image!.Config.User).to.equal('node');
    expect(image!.Config.Entrypoint).to.deep.equal(['doubletap']);
    expect(image!.Healthcheck?.Test.join(' ')).to.include('DOUBLETAP_HEALTHZ');
    // No dev dependency made it into the image (npm prune --omit=dev).
    const ls = await podmanOk(['run', '--rm', '--network', 'host', '--entrypoint', 'ls', TEST_IMAGE, 'node_modules']);
    expect(ls).to.include('kafkajs');
    expect(ls).to.not.match(/^(mocha|typescript|tsx)$/m);
  });

  it('doubletap --help', async () => {
    const out = await podmanOk(['run', '--rm', '--network', 'host', TEST_IMAGE, '--help']);
    expect(out).to.include('Usage: doubletap');
    for (const cmd of ['run', 'proxy', 'relay', 'validate', 'halt', 'status']) expect(out).to.match(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('proxies a host service: the POST arrives twice, and the HEALTHCHECK passes', async () => {
    const [port, controlPort] = [await freePort(), await freePort()];
    await podmanOk(['run', '-d', '--name', names[0]!, '--network', 'host', '--health-interval', 'disable',
      '-e', `DOUBLETAP_HEALTHZ=http://127.0.0.1:${controlPort}/healthz`,
      TEST_IMAGE, 'proxy', '--upstream', upstream.url, '--listen', `127.0.0.1:${port}`,
      '--control', `127.0.0.1:${controlPort}`, '--fraction', '1', '--fault', 'replay', '--seed', '7']);
    await waitForLog(names[0]!, 'control on http://', 60_000);

    const body = JSON.stringify({ sku: 'C-1', amount_cents: 1234 });
    const res = await fetch(`http://127.0.0.1:${port}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `ctr-${suffix}` }, body,
    });
    expect(res.status).to.equal(201);
    const deadline = Date.now() + 15_000;
    while (upstream.hitsFor(`ctr-${suffix}`).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const hits = upstream.hitsFor(`ctr-${suffix}`);
    expect(hits).to.have.length(2);
    expect(hits.map((h) => h.body.toString())).to.deep.equal([body, body]);
    expect(upstream.orders).to.equal(1); // the correct upstream replayed the copy

    const hc = await podman(['healthcheck', 'run', names[0]!]);
    expect(hc.code, hc.stdout + hc.stderr).to.equal(0);
  });

  it('the HEALTHCHECK fails when the control API is not there', async () => {
    const port = await freePort();
    const dead = await freePort(); // nothing listens here
    await podmanOk(['run', '-d', '--name', names[1]!, '--network', 'host', '--health-interval', 'disable',
      '-e', `DOUBLETAP_HEALTHZ=http://127.0.0.1:${dead}/healthz`,
      TEST_IMAGE, 'proxy', '--upstream', upstream.url, '--listen', `127.0.0.1:${port}`]);
    await waitForLog(names[1]!, 'listening on http://', 60_000);
    const hc = await podman(['healthcheck', 'run', names[1]!]);
    expect(hc.code).to.not.equal(0);
  });
});
