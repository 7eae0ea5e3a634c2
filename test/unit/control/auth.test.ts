import { expect } from 'chai';
import { bearerToken, isLoopbackHost, tokenMatches } from '../../../src/control/auth';
import { resolveSecret } from '../../../src/secrets';
import { ConfigError } from '../../../src/errors';

describe('control/auth', () => {
  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.9.8.7', '::1', '[::1]', 'localhost', 'LocalHost', '::ffff:127.0.0.1', 'api.localhost']) {
      expect(isLoopbackHost(h), h).to.equal(true);
    }
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.example.com', '']) {
      expect(isLoopbackHost(h), h).to.equal(false);
    }
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('s3cret', 's3cret')).to.equal(true);
    expect(tokenMatches('s3cre', 's3cret')).to.equal(false);
    expect(tokenMatches('a-much-longer-token-than-expected', 's3cret')).to.equal(false);
    expect(tokenMatches(undefined, 's3cret')).to.equal(false);
    expect(tokenMatches('', 's3cret')).to.equal(false);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).to.equal('abc.def');
    expect(bearerToken('bearer   xyz ')).to.equal('xyz');
    expect(bearerToken('Basic abc')).to.equal(undefined);
    expect(bearerToken('Bearer')).to.equal(undefined);
    expect(bearerToken(undefined)).to.equal(undefined);
  });
});

describe('secrets', () => {
  it('resolves env:NAME from the given environment and passes literals through', () => {
    expect(resolveSecret('env:DT_TOKEN', 'control.token', { DT_TOKEN: 'abc' })).to.equal('abc');
    expect(resolveSecret('literal-token', 'control.token', {})).to.equal('literal-token');
  });

  it('names the path and the variable when it is missing or empty', () => {
    for (const env of [{}, { DT_TOKEN: '' }]) {
      try {
        resolveSecret('env:DT_TOKEN', 'control.token', env);
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        expect((err as ConfigError).issues).to.deep.equal(['control.token: environment variable DT_TOKEN is not set']);
      }
    }
  });

  it('rejects malformed references and empty literals', () => {
    expect(() => resolveSecret('env:1BAD', 'control.token', {})).to.throw(ConfigError, /not a valid env:NAME/);
    expect(() => resolveSecret('', 'control.token', {})).to.throw(ConfigError, /control.token: must not be empty/);
  });
});
