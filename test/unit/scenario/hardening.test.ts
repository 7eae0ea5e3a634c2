// Issue 15 #7, #9, #10 (alias bomb), #12, #14: hostile scenarios are config errors with a path, found
// before anything runs; nothing a scenario says can reach Object.prototype.
import { expect } from 'chai';
import { ConfigError } from '../../../src/errors';
import { changeJson } from '../../../src/faults/key-reuse';
import { parseScenarioText } from '../../../src/scenario/load';
import { sampleDelay } from '../../../src/chaos/delay';

function issuesOf(text: string): string[] {
  try {
    parseScenarioText(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const HTTP = (fault: string, extra = '') => `version: 1
name: t
${extra}
http:
  upstream: http://127.0.0.1:9
  rules:
    - name: r
      fraction: 1
      faults: [${fault}]
`;

describe('scenario hardening (issue 15)', () => {
  afterEach(() => expect(({} as Record<string, unknown>).x, 'Object.prototype polluted').to.equal(undefined));

  it('#7 key-reuse change.field through __proto__/constructor/prototype is refused with its path', () => {
    for (const field of ['__proto__.x', 'a.__proto__.x', 'constructor.prototype.x', 'prototype', 'toString', 'a..b']) {
      const issues = issuesOf(HTTP(`{ kind: key-reuse, change: { field: "${field}", set: 1 } }`));
      expect(issues.join('\n'), field).to.match(/^http\.rules\[0\]\.faults\[0\]\.change\.field: must/m);
    }
  });

  it('#7 the setter itself refuses prototype paths and never writes an inherited member', () => {
    expect(() => changeJson({ a: 1 }, { field: '__proto__.x', set: 1 })).to.throw(/reserved/);
    expect(() => changeJson({ a: 1 }, { field: 'constructor.x', set: 1 })).to.throw(/reserved/);
    // JSON.parse makes `__proto__` an own key: still refused, nothing leaks.
    const body = JSON.parse('{"__proto__": {"x": 1}}') as object;
    expect(() => changeJson(body, { field: '__proto__.x', add: 1 })).to.throw();
    expect(changeJson({ item: { qty: 1 } }, { field: 'item.qty', add: 2 })).to.deep.equal({ item: { qty: 3 } });
    // key-reuse changes an existing field only (issue 9: no marker field is ever added).
    expect(() => changeJson({}, { field: 'a.b', set: 'v' })).to.throw(/a\.b is not in the body/);
  });

  it('#7 probe, rule and scenario names that are Object.prototype names are refused', () => {
    for (const n of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const probe = issuesOf(`version: 1\nname: t\nkafka: { brokers: [127.0.0.1:9], relays: [{ name: r, from: a, to: b, fraction: 0 }] }\nprobes:\n  "${n}": { http: "http://127.0.0.1:9/s" }\n`);
      expect(probe.join('\n'), n).to.match(/^probes\.[^:]*: (is a reserved name|__proto__ is a reserved key)/m);
    }
    expect(issuesOf(HTTP('{ kind: replay }').replace('name: r', 'name: constructor')).join('\n')).to.match(/http\.rules\[0\]\.name: is a reserved name/);
    // An invariant naming an inherited member is "no probe named", not a silent match.
    const inv = issuesOf(HTTP('{ kind: replay }', 'invariants: [{ probe: toString, grows_by: 1 }]'));
    expect(inv).to.include('invariants[0].probe: no probe named toString');
  });

  it('#9 every duration is bounded by what a Node timer honours (2^31-1 ms)', () => {
    expect(issuesOf(HTTP('{ kind: replay }', 'duration: 600h'))[0]).to.match(/^duration: must be at most 2147483647 ms/);
    expect(issuesOf(HTTP('{ kind: replay, delay: { dist: fixed, value: 1000h } }'))[0]).to.match(/faults\[0\]\.delay\.value: must be at most 2147483647 ms/);
    expect(issuesOf(HTTP('{ kind: replay }').replace('  rules:', '  copyTimeout: 600h\n  rules:'))[0]).to.match(/^http\.copyTimeout: must be at most/);
    expect(issuesOf(HTTP('{ kind: replay }', 'settle: 1e300'))[0]).to.match(/^settle: must be at most/);
    expect(parseScenarioText(HTTP('{ kind: replay }', 'duration: 596h')).duration).to.equal(596 * 3_600_000);
    // An unbounded tail (exponential without max) is clamped where the timer still works.
    const huge = sampleDelay({ dist: 'exponential', mean: 2_000_000_000, min: 0 }, () => 0.999999);
    expect(huge).to.equal(2_147_483_647);
  });

  it('#12 timeline.interval must be at least 100ms; delays need min <= max; backoff base <= max', () => {
    expect(issuesOf(HTTP('{ kind: replay }', 'timeline: { interval: 0 }'))).to.deep.equal(['timeline.interval: must be at least 100ms (every tick reads every probe)']);
    expect(issuesOf(HTTP('{ kind: replay, delay: { dist: uniform, min: 2s, max: 1s } }'))).to.deep.equal(['http.rules[0].faults[0].delay.min: must be at most max (2000 ms > 1000 ms)']);
    expect(issuesOf(HTTP('{ kind: replay, delay: { dist: exponential, mean: 1s, min: 5s, max: 1s } }'))[0]).to.match(/delay\.min: must be at most max/);
  });

  it('#10 a YAML alias bomb is one clear config error, not an exception', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefgh'[i]).join(',')}]`)].join('\n');
    const issues = issuesOf(bomb);
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^scenario: YAML Excessive alias count/);
  });

  it('#14 an empty or short literal control token is a config error', () => {
    for (const token of ["''", 'short', 'elevenchars']) {
      expect(issuesOf(HTTP('{ kind: replay }', `control: { token: ${token} }`))[0], token).to.match(/^control\.token: must be at least 12 characters/);
    }
    expect(parseScenarioText(HTTP('{ kind: replay }', 'control: { token: twelve-chars }')).control.token).to.equal('twelve-chars');
    expect(parseScenarioText(HTTP('{ kind: replay }', 'control: { token: env:TOKEN }')).control.token).to.equal('env:TOKEN');
  });
});
