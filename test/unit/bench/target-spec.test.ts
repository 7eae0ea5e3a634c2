// The bench's target syntax (`FRACTION[:PROBE[+PROBE…]][@FLAG,FLAG…]`), which cost-by-fraction and
// instructions share: a probe and V8 flags reach the one proxy they name, a bad fraction is refused.
import { expect } from 'chai';
import { targetSpec } from '../../../bench/lib/options';

describe('bench target spec', () => {
  it('reads a bare fraction', () => {
    expect(targetSpec('0.1')).to.deep.equal({ fraction: 0.1, proxyArgs: [], halts: false, nodeFlags: [] });
  });

  it('passes probes to the proxy and notes halt among them', () => {
    expect(targetSpec('0.01:halt+fake-send')).to.deep.equal({ fraction: 0.01, proxyArgs: ['--probe', 'halt+fake-send'], halts: true, nodeFlags: [] });
    expect(targetSpec('0.01:no-plan').halts).to.equal(false);
  });

  it('gives V8 flags to this target only, with or without a probe', () => {
    expect(targetSpec('0.1@--use-largepages=on,--max-semi-space-size=4').nodeFlags).to.deep.equal(['--use-largepages=on', '--max-semi-space-size=4']);
    expect(targetSpec('0:no-plan@--no-polymorphic-inlining')).to.deep.equal({ fraction: 0, proxyArgs: ['--probe', 'no-plan'], halts: false, nodeFlags: ['--no-polymorphic-inlining'] });
  });

  it('refuses a fraction outside 0..1 or missing, naming the target', () => {
    for (const bad of ['1.5', '-0.1', 'x', '', ':halt', '@--flag']) expect(() => targetSpec(bad), bad).to.throw(`target "${bad}"`);
  });
});
