// Issue 15 #16: the live /metrics of a running proxy (runtime metrics included) passes
// `promtool check metrics` (Debian's prometheus package; a missing promtool fails this test).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { runCli, stopCli } from '../../helpers/cli';
import { startUpstream } from '../../helpers/upstreams';
import { request } from '../http/harness';

function promtool(input: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', (err) => reject(new Error(`promtool is required (scripts/provision.sh installs it): ${err.message}`)));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

describe('promtool check metrics on a live /metrics (issue 15 #16)', function () {
  this.timeout(60_000);
  it('a proxy with traffic, copies and runtime metrics: promtool finds nothing to complain about', async () => {
    const up = await startUpstream({ mode: 'correct' });
    const r = await runCli(['proxy', '--upstream', up.url, '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--fraction', '1'], { until: /control on (http:\/\/\S+)\n/ });
    try {
      const url = /listening on (http:\/\/\S+)\n/.exec(r.stdout)![1];
      const control = /control on (http:\/\/\S+)\n/.exec(r.stdout)![1];
      for (let i = 0; i < 3; i++) expect((await request(url, { headers: { 'idempotency-key': `p-${i}` }, body: '{}' })).status).to.equal(201);
      await new Promise((res) => setTimeout(res, 300));
      const text = await (await fetch(`${control}/metrics`)).text();
      expect(text).to.match(/^doubletap_http_copies_total\{.*outcome="replayed"\} 3$/m);
      expect(text).to.match(/^doubletap_process_nodejs_active_handles\{/m); // runtime metrics are there
      expect(text).to.not.match(/^doubletap_process_nodejs_active_\w+_total /m);
      const check = await promtool(text);
      expect(check.output).to.equal('');
      expect(check.code).to.equal(0);
    } finally {
      await stopCli(r);
      await up.close();
    }
  });
});
