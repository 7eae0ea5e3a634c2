// Issue 15 #13, #14: the control API refuses what a web page can send (foreign Origin, a POST that is
// not declared JSON, a rebound Host name) and never runs with an empty or short token. Real server,
// raw HTTP (fetch would not let us set Host or Origin freely).
import { expect } from 'chai';
import http from 'node:http';
import { HaltSwitch } from '../../../src/chaos/halt';
import { startControlServer, type ControlServer } from '../../../src/control/server';
import { ConfigError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { createMetrics } from '../../../src/metrics';

const TOKEN = 'browser-guard-token-1';

function call(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + (o.path ?? '/halt'), { method: o.method ?? 'POST', headers: o.headers, setHost: o.headers?.host === undefined }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('control API against browsers (issue 15)', () => {
  const open: ControlServer[] = [];
  afterEach(async () => void (await Promise.all(open.splice(0).map((s) => s.close()))));
  async function start(token?: string) {
    const halt = new HaltSwitch();
    const server = await startControlServer({ listen: '127.0.0.1:0', token, halt, registry: createMetrics().registry, status: () => ({ ok: 1 }), logger: silentLogger() });
    open.push(server);
    return { halt, url: server.url, port: new URL(server.url).port };
  }

  it('#13 without a token: a cross-origin text/plain POST /halt is refused (403) and the switch stays off', async () => {
    const { halt, url } = await start();
    const attempts: Record<string, string>[] = [
      { origin: 'http://evil.example', 'content-type': 'text/plain' },
      { origin: 'http://evil.example', 'content-type': 'application/json' },
      { origin: 'null', 'content-type': 'application/json' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      {},
    ];
    for (const headers of attempts) {
      const r = await call(url, { headers, body: headers['content-type'] === 'application/json' ? '{}' : 'reason=x' });
      expect(r.status, JSON.stringify(headers)).to.equal(403);
      expect(JSON.parse(r.body).error).to.equal('FORBIDDEN');
    }
    expect(halt.halted).to.equal(false);
    // The legitimate call still works: no Origin (a CLI), JSON, loopback Host.
    const ok = await call(url, { headers: { 'content-type': 'application/json' }, body: '{"reason":"cli"}' });
    expect(ok.status).to.equal(200);
    expect(halt.reason).to.equal('cli');
  });

  it('#13 DNS rebinding: without a token only loopback Host names are answered (GET /status too)', async () => {
    const { url, port } = await start();
    for (const host of [`evil.example:${port}`, `attacker.test`, `10.0.0.1:${port}`, '']) {
      expect((await call(url, { method: 'GET', path: '/status', headers: { host } })).status, host).to.equal(403);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await call(url, { method: 'GET', path: '/status', headers: { host } })).status, host).to.equal(200);
    }
    // A same-origin page (Origin equals Host) may read status.
    expect((await call(url, { method: 'GET', path: '/status', headers: { origin: `http://127.0.0.1:${port}` } })).status).to.equal(200);
    expect((await call(url, { method: 'GET', path: '/healthz', headers: { host: 'evil.example' } })).status).to.equal(200);
  });

  it('#13 with the token any Host is answered, but a foreign Origin or text/plain is still refused', async () => {
    const { halt, url } = await start(TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await call(url, { method: 'GET', path: '/status', headers: { ...auth, host: 'doubletap.internal' } })).status).to.equal(200);
    expect((await call(url, { headers: { ...auth, 'content-type': 'text/plain' }, body: 'x' })).status).to.equal(403);
    expect((await call(url, { headers: { ...auth, 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{}' })).status).to.equal(403);
    expect(halt.halted).to.equal(false);
    expect((await call(url, { headers: { ...auth, 'content-type': 'application/json' }, body: '{}' })).status).to.equal(200);
    expect(halt.halted).to.equal(true);
  });

  it('#14 an empty or short token is a configuration error naming control.token; nothing listens', async () => {
    for (const token of ['', 'x', 'elevenchars']) {
      const err = await start(token).then(() => undefined, (e: unknown) => e);
      expect(err, JSON.stringify(token)).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).issues[0]).to.match(/^control\.token: must be at least 12 characters/);
    }
    expect(open).to.have.length(0);
  });
});
