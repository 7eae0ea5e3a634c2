import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { interpolate } from '../../../src/scenario/interpolate';

describe('interpolate', () => {
  it('replaces ${NAME} and ${NAME:-default}, keeping whole numbers numbers', () => {
    const out = interpolate({ a: 'http://${HOST}:8080', seed: '${SEED:-42}', list: ['${HOST}'], flag: '${ON:-true}' }, { HOST: 'h' });
    expect(out).to.deep.equal({ a: 'http://h:8080', seed: 42, list: ['h'], flag: true });
  });

  it('names the path of every unset variable', () => {
    try {
      interpolate({ http: { upstream: '${UP}' }, probes: { x: { url: 'x${DB}' } } }, {});
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).issues).to.deep.equal([
        'http.upstream: environment variable UP is not set',
        'probes.x.url: environment variable DB is not set',
      ]);
    }
  });
});
