import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { createProbe, createProbes } from '../../../src/probes';
import { parseDotPath, valueAt } from '../../../src/probes/http';
import { toNumber } from '../../../src/probes/number';
import { sampleOf } from '../../../src/probes/prometheus';
import { describeUrl, resolveSecret, scrub } from '../../../src/secrets';
import { firstKeyword } from '../../../src/probes/sql';

describe('probes (no I/O)', () => {
  it('parses dot paths', () => {
    expect(parseDotPath('')).to.deep.equal([]);
    expect(parseDotPath('emails')).to.deep.equal(['emails']);
    expect(parseDotPath('stats.orders')).to.deep.equal(['stats', 'orders']);
    expect(parseDotPath('items[0].n')).to.deep.equal(['items', 0, 'n']);
    expect(parseDotPath('a[1][2]')).to.deep.equal(['a', 1, 2]);
    for (const bad of ['a.', '.a', 'a..b', '[0]', 'a[x]']) expect(parseDotPath(bad), bad).to.equal(undefined);
    expect(parseDotPath('a key')).to.deep.equal(['a key']); // JSON keys may hold spaces
    expect(valueAt({ items: [{ n: 3 }] }, ['items', 0, 'n'])).to.equal(3);
    expect(valueAt({ items: null }, ['items', 0, 'n'])).to.equal(undefined);
  });

  it('numbers: numbers, bigints and numeric strings; nothing else', () => {
    expect([toNumber(3), toNumber('42'), toNumber('1.5e3'), toNumber(10n), toNumber(' 7 ')]).to.deep.equal([3, 42, 1500, 10, 7]);
    for (const bad of [null, undefined, '', 'abc', '0x10', NaN, Infinity, {}, [1], true]) expect(toNumber(bad)).to.equal(undefined);
  });

  it('prometheus answers: one sample or a scalar; empty vector is an error, not 0', () => {
    expect(sampleOf({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '12'] }] } })).to.equal(12);
    expect(sampleOf({ status: 'success', data: { resultType: 'scalar', result: [1, '3.5'] } })).to.equal(3.5);
    expect((sampleOf({ status: 'success', data: { resultType: 'vector', result: [] } }) as Error).message).to.match(/^no sample/);
    expect((sampleOf({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '2'] }] } }) as Error).message).to.match(/2 samples/);
    expect((sampleOf({ status: 'success', data: { resultType: 'matrix', result: [] } }) as Error).message).to.match(/result type matrix/);
    expect((sampleOf({ status: 'error', error: 'parse error' }) as Error).message).to.match(/parse error/);
    expect((sampleOf({ status: 'success', data: { resultType: 'scalar', result: [1, 'NaN'] } }) as Error).message).to.match(/not a number/);
  });

  it('secrets: env: refs, missing variable names the probe path, scrubbing', () => {
    expect(resolveSecret('env:DB', 'probes.orders.url', { DB: 'postgres://u:p@h/db' })).to.equal('postgres://u:p@h/db');
    expect(resolveSecret('literal', 'x', {})).to.equal('literal');
    expect(() => resolveSecret('env:NOPE', 'probes.orders.url', {})).to.throw(ConfigError, 'probes.orders.url: environment variable NOPE is not set');
    expect(describeUrl('postgres://user:s3cret@db.example:6543/shop?sslmode=require')).to.equal('db.example:6543/shop');
    expect(scrub('auth failed for s3cret at s3cret', ['s3cret'])).to.equal('auth failed for *** at ***');
  });

  it('sql: read keyword guard and URL schemes', () => {
    expect(firstKeyword('  /* c */ -- x\n (SELECT 1)')).to.equal('select');
    expect(firstKeyword('with x as (select 1) select * from x')).to.equal('with');
    expect(firstKeyword('DELETE from t')).to.equal('delete');
    const env = { BAD: 'redis://u:pw@h:1/x', DB: 'postgres://u:pw@127.0.0.1:1/x' };
    expect(() => createProbe('o', { sql: 'select 1', url: 'env:BAD', timeout: 100 }, env)).to.throw(ConfigError, /probes\.o\.url: unsupported scheme redis/);
    expect(() => createProbe('o', { sql: 'select 1', url: 'not a url', timeout: 100 }, env)).to.throw(ConfigError, /not a valid connection URL/);
    expect(() => createProbes({ a: { sql: 'select 1', url: 'env:DB', timeout: 100 }, b: { sql: 'select 1', url: 'env:MISSING', timeout: 100 } }, env)).to.throw(ConfigError, /probes\.b\.url/);
  });
});

describe('probes: credentials in a URL', () => {
  // fetch() refuses user:password in a URL, and its TypeError repeats the whole URL.
  it('a Prometheus or http probe URL with user:password never puts the password in the error', async () => {
    const probes = [
      createProbe('p', { prometheus: 'up', url: 'http://admin:s3cretpw@127.0.0.1:1', timeout: 1000 }),
      createProbe('h', { http: 'http://admin:s3cretpw@127.0.0.1:1/stats', path: 'n', headers: {}, timeout: 1000 }),
    ];
    for (const p of probes) {
      const err = await p.read().then(() => undefined, (e: unknown) => e as Error);
      expect(err, p.name).to.be.instanceOf(Error);
      expect(err!.message, p.name).to.not.include('s3cretpw');
      expect(err!.message, p.name).to.not.match(/credentials/);
    }
  });
});
