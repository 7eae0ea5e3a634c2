// Fuzz-style suite over the scenario schema (issue 15): seeded random and hostile YAML documents.
// The invariant for every document: parse+validate either returns a frozen scenario or throws a
// ConfigError whose every line names a path — never another exception, never a hang, and
// Object.prototype is untouched. Runs in a couple of seconds.
import { expect } from 'chai';
import seedrandom from 'seedrandom';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/errors';
import { parseScenarioText } from '../../../src/scenario/load';

const rng = seedrandom('scenario-fuzz');
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

const HOSTILE_STRINGS = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'toString', '__proto__.x', 'a.constructor.prototype.b', '${X}', '${NOPE:-}',
  'env:', 'env:X', '600h', '1e309ms', '-1s', '0', 'NaN', '∞', '\u0000', 'a'.repeat(5000), '/**/a/**/b/**', '*', '../../etc/passwd',
  'http://[::1', 'http://127.0.0.1:99999', '127.0.0.1:-1', '0.0.0.0:0', '1000h', '2147483648', 'ops(constructor)', '__defineGetter__',
];
const HOSTILE_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER, 2 ** 31, [], {}, [[[]]], { __proto__x: 1 }, ...HOSTILE_STRINGS,
];

/** A valid base scenario whose fields the fuzzer replaces one or a few at a time. */
function base(): Record<string, any> {
  return {
    version: 1, name: 'fuzz', seed: 1, duration: '1s', settle: '1s', timeline: { interval: '500ms' },
    control: { listen: '127.0.0.1:0' },
    http: {
      listen: '127.0.0.1:0', upstream: 'http://127.0.0.1:9', copyTimeout: '1s',
      rules: [{ name: 'r', match: { method: 'POST', path: '/orders' }, fraction: 0.5, faults: [
        { kind: 'replay', copies: 1, delay: { dist: 'uniform', min: '1ms', max: '2ms' } },
        { kind: 'key-reuse', change: { field: 'amount', add: 1 } },
      ] }],
    },
    probes: { orders: { http: 'http://127.0.0.1:9/stats', path: 'orders' } },
    invariants: [{ probe: 'orders', grows_by: 'ops(r)' }],
  };
}

/** Every [object, key] path in a document, to pick a place to mutate. */
function slots(node: any, out: Array<[any, string | number]> = []): Array<[any, string | number]> {
  if (node && typeof node === 'object') {
    for (const k of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      out.push([node, k]);
      slots(node[k], out);
    }
  }
  return out;
}

function mutate(doc: Record<string, any>): void {
  for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
    const [obj, key] = pick(slots(doc));
    const r = rng();
    if (r < 0.6) obj[key] = pick(HOSTILE_VALUES);
    else if (r < 0.8 && !Array.isArray(obj)) obj[pick(HOSTILE_STRINGS) || 'k'] = pick(HOSTILE_VALUES);
    else if (!Array.isArray(obj)) delete obj[key];
  }
}

function check(text: string): 'ok' | 'config-error' {
  try {
    const s = parseScenarioText(text);
    expect(Object.isFrozen(s)).to.equal(true);
    // Whatever validates must be safe to run: timers honoured, intervals positive.
    expect(s.duration).to.be.at.most(2 ** 31 - 1);
    expect(s.timeline.interval).to.be.at.least(100);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError for:\n${text.slice(0, 500)}\n${(err as Error).stack}`);
    for (const issue of err.issues) expect(issue, text.slice(0, 300)).to.match(/^\S.*: \S/s);
    return 'config-error';
  }
}

describe('scenario schema fuzz (issue 15)', function () {
  this.timeout(30_000);
  afterEach(() => {
    for (const name of ['x', 'polluted', 'amount', 'b']) expect(Object.prototype, `Object.prototype.${name}`).to.not.have.own.property(name);
  });

  it('500 seeded mutations of a valid scenario: a frozen scenario or a ConfigError with paths', () => {
    const seen = { ok: 0, 'config-error': 0 };
    const started = Date.now();
    for (let i = 0; i < 500; i++) {
      const doc = base();
      mutate(doc);
      seen[check(stringify(doc))]++;
    }
    // Both sides are exercised (the seed fixes these counts; a change in the schema may move them).
    expect(seen.ok).to.be.greaterThan(15);
    expect(seen['config-error']).to.be.greaterThan(150);
    expect(Date.now() - started).to.be.below(25_000);
  });

  it('hostile documents: bombs, prototype keys, deep nesting, binary, huge, wrong types', () => {
    const hostile = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      'version: 1\nname: t\n__proto__: { polluted: 1 }\nhttp: { upstream: "http://127.0.0.1:9", rules: [{ name: r, fraction: 1 }] }\n',
      'version: 1\nname: t\nhttp: { upstream: "http://127.0.0.1:9", rules: [{ name: r, fraction: 1, faults: [{ kind: key-reuse, change: { field: __proto__.x, set: 1 } }] }] }\n',
      'version: 1\nname: t\nhttp: { upstream: "http://127.0.0.1:9", rules: [{ name: r, fraction: 1, faults: [{ kind: key-reuse, change: { field: constructor.prototype.x, set: 1 } }] }] }\n',
      '['.repeat(5000) + ']'.repeat(5000),
      'a: ' + '{b: '.repeat(2000) + '1' + '}'.repeat(2000),
      '\u0000\u0001\u0002binary',
      '- just\n- a\n- list\n',
      '42',
      '',
      '---\nversion: 1\n---\nversion: 2\n',
      'version: 1\nname: t\nhttp: { upstream: "http://127.0.0.1:9", rules: [{ name: r, fraction: 1, match: { path: "' + '/**'.repeat(500) + '" } }] }\n',
      `version: 1\nname: ${'n'.repeat(100_000)}\nkafka: { brokers: [127.0.0.1:9], relays: [{ name: r, from: a, to: b, fraction: 0 }] }\n`,
      'version: 1\nname: t\ntimeline: { interval: 0 }\nkafka: { brokers: [127.0.0.1:9], relays: [{ name: r, from: a, to: b, fraction: 0 }] }\n',
      '!!js/function "function(){}"',
      'a: !!binary AAAA\n',
      'version: 1\nname: t\nkafka: { brokers: [127.0.0.1:9], relays: [{ name: r, from: a, to: b, fraction: 0 }] }\nprobes: { hasOwnProperty: { http: "http://x/" } }\n',
    ];
    const results = hostile.map(check);
    expect(results.filter((r) => r === 'ok')).to.have.length(0);
  });
});
