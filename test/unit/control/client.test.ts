import { expect } from 'chai';
import { controlUrlFrom, DEFAULT_CONTROL_URL } from '../../../src/control/client';
import { ConfigError } from '../../../src/errors';

describe('control/client controlUrlFrom', () => {
  it('flag, then DOUBLETAP_CONTROL, then the default', () => {
    expect(controlUrlFrom('http://10.0.0.1:9000', { DOUBLETAP_CONTROL: 'http://x:1' }).origin).to.equal('http://10.0.0.1:9000');
    expect(controlUrlFrom(undefined, { DOUBLETAP_CONTROL: 'http://x:1' }).origin).to.equal('http://x:1');
    expect(controlUrlFrom(undefined, {}).href).to.equal(new URL(DEFAULT_CONTROL_URL).href);
    expect(DEFAULT_CONTROL_URL).to.equal('http://127.0.0.1:7070');
  });

  it('accepts HOST:PORT like the proxy’s --control flag', () => {
    expect(controlUrlFrom('127.0.0.1:7071', {}).origin).to.equal('http://127.0.0.1:7071');
  });

  it('rejects what is not an http URL, naming the flag', () => {
    expect(() => controlUrlFrom('http://', {})).to.throw(ConfigError, /--control/);
    expect(() => controlUrlFrom('ftp://h:1', {})).to.throw(ConfigError, /--control/);
  });
});
