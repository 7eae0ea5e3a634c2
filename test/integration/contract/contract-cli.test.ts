// The command line of `doubletap contract`: help, flag errors, spec errors and an unreachable service all
// exit 2 with a line that names the problem, and send nothing.
import { expect } from 'chai';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../../helpers/cli';
import { startIdempotentServer } from './idempotent-server';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'openapi');
const SHOP_SPEC = join(REPO_ROOT, 'examples', 'shop', 'openapi.yaml');

describe('doubletap contract: command line', function () {
  this.timeout(90_000);

  it('--help lists every flag', async () => {
    const r = await runCli(['contract', '--help'], { timeoutMs: 60_000 });
    expect(r.code).to.equal(0);
    for (const flag of ['--openapi', '--base-url', '--only', '--operations', '--report-dir', '--junit', '--probes', '--seed', '--concurrency', '--key-header']) {
      expect(r.stdout).to.include(flag);
    }
  });

  /** Runs the CLI against a live server and checks that nothing reached it. */
  async function refused(args: (url: string) => string[]): Promise<string> {
    const server = await startIdempotentServer();
    try {
      const r = await runCli(['contract', ...args(server.url)], { timeoutMs: 60_000 });
      expect(r.code).to.equal(2);
      expect(server.requests).to.have.length(0);
      return r.stderr;
    } finally {
      await server.close();
    }
  }

  it('bad flags: every problem at once, exit 2, nothing sent', async () => {
    const stderr = await refused((url) => ['--openapi', SHOP_SPEC, '--base-url', url, '--seed', 'x', '--concurrency', '1', '--operations', 'some']);
    expect(stderr).to.include('--seed: must be a whole number (got x)');
    expect(stderr).to.include('--concurrency: must be a whole number from 2 to 100 (got 1)');
    expect(stderr).to.include('--operations: must be all or marked (got some)');
  });

  it('an invalid spec: exit 2 with its JSON pointer, nothing sent', async () => {
    const stderr = await refused((url) => ['--openapi', join(FIXTURES, 'invalid', 'broken-ref.yaml'), '--base-url', url]);
    expect(stderr).to.include('broken-ref.yaml#/paths/~1orders/post/requestBody/content/application~1json/schema/$ref: $ref #/components/schemas/Nope points to nothing in this document');
  });

  it('an unreachable service: exit 2 naming its address', async () => {
    const gone = await startIdempotentServer();
    await gone.close(); // a port that was just free: nothing listens there now
    const r = await runCli(['contract', '--openapi', join(FIXTURES, 'valid', 'rich-3.1.json'), '--base-url', gone.url], { timeoutMs: 60_000 });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`cannot reach ${gone.url}: ECONNREFUSED`);
  });
});
