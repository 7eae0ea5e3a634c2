import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { parseScenario } from '../../../src/scenario/load';

const base = { version: 1, name: 'r', http: { upstream: 'http://127.0.0.1:8080', rules: [{ name: 'w', fraction: 0.1 }] } };

describe('scenario: report.grafanaUrl', () => {
  it('is optional, and kept when it is an http(s) URL', () => {
    expect(parseScenario(base).report.grafanaUrl).to.equal(undefined);
    expect(parseScenario({ ...base, report: { grafanaUrl: 'https://grafana.example.com/g' } }).report.grafanaUrl).to.equal('https://grafana.example.com/g');
  });

  it('refuses anything else with its path', () => {
    for (const bad of ['grafana:3000', 'ftp://grafana', 'localhost']) {
      let err: unknown;
      try {
        parseScenario({ ...base, report: { grafanaUrl: bad } });
      } catch (e) {
        err = e;
      }
      expect(err, bad).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).issues.join('\n')).to.match(/^report\.grafanaUrl: /m);
    }
  });
});
