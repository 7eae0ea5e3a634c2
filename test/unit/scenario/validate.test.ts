import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors';
import { loadScenario, parseScenarioText } from '../../../src/scenario/load';

const INVALID = join(__dirname, '../../fixtures/scenarios/invalid');

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('scenario validation', () => {
  // One fixture per error; its first line says which issue (path and message) it must produce.
  for (const file of readdirSync(INVALID).filter((f) => f.endsWith('.yaml'))) {
    it(`rejects ${file} with its path and reason`, () => {
      const path = join(INVALID, file);
      const expected = /^# expect: (.*)$/m.exec(readFileSync(path, 'utf8'))![1];
      const issues = issuesOf(() => loadScenario(path));
      expect(issues.join('\n')).to.include(expected);
    });
  }

  it('lists every problem, not just the first', () => {
    const issues = issuesOf(() =>
      parseScenarioText('version: 1\nname: x\nduration: soon\nhttp:\n  upstream: nope\n  rules: [{ name: r, fraction: -1 }]\n'),
    );
    expect(issues).to.have.length(3);
    expect(issues).to.include('http.rules[0].fraction: must be at least 0');
  });

  it('fills defaults and freezes the result', () => {
    const s = parseScenarioText('version: 1\nname: x\nhttp:\n  upstream: http://127.0.0.1:1\n  rules: [{ name: r, fraction: 0.5 }]\n');
    expect(s.seed).to.equal(1);
    expect(s.http!.listen).to.equal('127.0.0.1:8081');
    expect(s.http!.identity.header).to.equal('idempotency-key');
    expect(s.http!.rules[0].match.method).to.deep.equal(['POST', 'PUT', 'PATCH', 'DELETE']);
    expect(s.http!.rules[0].faults[0].kind).to.equal('replay');
    expect(Object.isFrozen(s.http!.rules[0])).to.equal(true);
  });

  it('reads durations and rates as people write them', () => {
    const s = parseScenarioText(
      'version: 1\nname: x\nduration: 2m\nsettle: 1.5s\nhttp:\n  upstream: http://127.0.0.1:1\n  rules:\n    - name: r\n      fraction: 0.1\n      faults: [{ kind: replay, delay: { dist: uniform, min: 50ms, max: 2s } }]\nload:\n  http: [{ url: "http://127.0.0.1:1/x", rate: 600/m }]\n',
    );
    expect(s.duration).to.equal(120_000);
    expect(s.settle).to.equal(1500);
    expect(s.http!.rules[0].faults[0]).to.deep.include({ delay: { dist: 'uniform', min: 50, max: 2000 } });
    expect(s.load!.http[0].rate).to.equal(10);
  });
});
