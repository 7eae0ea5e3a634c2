import { expect } from 'chai';
import { OUTCOMES, type Outcome } from '../../../src/journal/types';
import type { TimelinePoint, Verdict } from '../../../src/reconcile/types';
import { renderHtml } from '../../../src/report/render';

const zero = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
const NASTY = '<img src=x onerror=alert(1)>';

function verdict(over: Partial<Verdict> = {}): Verdict {
  return {
    scenario: 'checkout',
    status: 'pass',
    seed: 7,
    startedAt: '2025-01-01T00:00:00.000Z',
    endedAt: '2025-01-01T00:01:05.000Z',
    environment: 'staging',
    http: { originals: 10, copies: 3, outcomes: { ...zero(), replayed: 2, 're-executed': 1 } },
    kafka: { originals: 0, copies: 0 },
    rules: { 'create-order': { originals: 10, ops: 10, copies: 3, byFault: { replay: { replayed: 2 }, burst: { 're-executed': 1 } } } },
    probes: { orders: { before: 5, after: 16, delta: 11 }, dedup_hits: { before: 0, after: 2, delta: 2 } },
    invariants: [
      { name: 'orders grows_by ops(create-order)', ok: false, expected: 10, actual: 11, detail: '1 extra' },
      { name: 'dedup_hits grows_at_least copies(create-order, replayed)', ok: true, expected: 2, actual: 2, detail: '' },
    ],
    leaked: [],
    ...over,
  };
}

function timeline(n: number): TimelinePoint[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: new Date(i * 100).toISOString(),
    t: i / 10,
    phase: i < n * 0.1 ? 'baseline' : i < n * 0.8 ? 'chaos' : 'settle',
    probes: { orders: 5 + i, dedup_hits: Math.floor(i / 4) },
    originals: i,
    copies: Math.floor(i / 3),
    outcomes: zero(),
  }));
}

/** The <path d="…"> of each series layer, by the class vega gives the layer's marks. */
function seriesPaths(page: string, i: number): string[] {
  const group = new RegExp(`<g class="mark-line role-mark series_${i}_marks"[^>]*>(.*?)</g>`).exec(page);
  return group ? [...group[1].matchAll(/<path [^>]*\bd="([^"]*)"/g)].map((m) => m[1]) : [];
}

describe('renderHtml', () => {
  it('shows the evidence per rule: judged by header / identity / status / books, the reason, settle', async () => {
    const evidence: NonNullable<Verdict['evidence']> = {
      'create-order': {
        kind: 'http', originals: 10, ops: 10, originalStatuses: { '2xx': 10 }, copies: 12, dropped: { 'budget-total': 2 },
        outcomes: { ...zero(), replayed: 4, rejected: 1, unverified: 7 }, verified: { header: 1, identity: 3, status: 1, books: 0 },
        judged: 5, books: [], sufficient: false, reason: 'rule create-order: 12 copies, 7 `unverified`, and no probe reads the books',
      },
    };
    const page = await renderHtml({ verdict: verdict({ status: 'inconclusive', evidence, settle: { drained: false, pending: 3, unstable: ['orders'] } }), timeline: [] });
    const section = page.slice(page.indexOf('<section id="evidence">'), page.indexOf('</section>', page.indexOf('<section id="evidence">')));
    expect(section).to.include('create-order');
    expect(section).to.match(/<td class="num">1<\/td><td class="num">3<\/td>\s*<td class="num">1<\/td><td class="num">0<\/td><td class="num">7<\/td>/);
    expect(section).to.include('✘ rule create-order: 12 copies, 7 `unverified`, and no probe reads the books');
    expect(section).to.include('settle: not drained (3 in flight); still moving: orders');
  });

  it('puts the status word first, with the colour class for each status', async () => {
    for (const status of ['pass', 'fail', 'aborted', 'inconclusive'] as const) {
      const page = await renderHtml({ verdict: verdict({ status }), timeline: [] });
      expect(page).to.match(new RegExp(`<header class="verdict status-${status}" id="verdict">\\s*<div class="status-word" id="verdict-status">${status.toUpperCase()}</div>`));
    }
    const page = await renderHtml({ verdict: verdict(), timeline: [] });
    expect(page).to.include('.status-pass { background: var(--pass); }').and.include('--pass:#15803d');
    expect(page).to.include('<dd>7</dd>').and.include('<dd>1m 5s</dd>').and.include('<dd>staging</dd>');
    expect(page).to.include('no timeline samples were recorded');
  });

  it('escapes every client- or scenario-supplied string, in the tables and in the chart', async () => {
    const v = verdict({
      scenario: '<script>alert(1)</script>',
      reason: 'probe "orders" <b>failed</b>',
      probes: { [NASTY]: { before: 1, after: 2, delta: 1, error: '<i>oops</i>' } },
      invariants: [{ name: NASTY, ok: false, expected: 1, actual: 2, detail: '</td><script>x()</script>' }],
      leaked: [{ rule: 'r<1>', fault: 'replay', key: NASTY, id: 'c1', of: 'o1', outcome: 're-executed', status: 201 }],
    });
    const tl = timeline(20).map((p) => ({ ...p, probes: { [NASTY]: p.originals } }));
    const page = await renderHtml({ verdict: v, timeline: tl });
    expect(page).to.not.include('<script').and.not.include('<img').and.not.include('<b>failed').and.not.include('<i>oops');
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).to.include('<td class="key">&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(page).to.include('probe &quot;orders&quot; &lt;b&gt;failed&lt;/b&gt;');
    expect(page).to.include('data-series="&lt;img src=x onerror=alert(1)&gt;,copies,originals"');
    // the chart legend (vega shortens long labels with an ellipsis) and the line's aria-label
    expect(page).to.match(/role-legend-label[^>]*><text [^>]*>&lt;img src=x/);
    expect(page).to.include('aria-label="seconds since start: 0; count since start: 0; series: &lt;img src=x onerror=alert(1)&gt;');
  });

  it('fills the invariants, outcomes, probes and leaked tables', async () => {
    const leaked = [{ rule: 'create-order', fault: 'burst', key: 'k-9', id: 'c3', of: 'o2', outcome: 're-executed' as const, status: 201 }];
    const page = await renderHtml({ verdict: verdict({ status: 'fail', leaked }), timeline: [] });
    const section = (id: string) => new RegExp(`<section id="${id}">(.*?)</section>`, 's').exec(page)?.[1] ?? '';
    const rows = (id: string) => (section(id).match(/<tr[ >]/g) ?? []).length - 1; // minus the header row
    expect(rows('invariants')).to.equal(2);
    expect(section('invariants')).to.include('✘ violated').and.include('✔ ok').and.include('<td class="num">11</td>');
    const blind = { name: 'orders grows by ops(c)', ok: false, blind: true, expected: 10, actual: 0, detail: 'orders did not move' };
    const blindPage = await renderHtml({ verdict: verdict({ status: 'inconclusive', invariants: [blind] }), timeline: [] });
    expect(blindPage).to.include('<tr class="blind"><td>orders grows by ops(c)</td><td class="mark">? blind probe</td>');
    // rule row, two faults, the all-HTTP total
    expect(rows('outcomes')).to.equal(4);
    expect(section('outcomes')).to.include('10 originals · 10 logical ops · 3 copies');
    expect(section('outcomes')).to.match(/<td>burst<\/td>(<td class="num">·<\/td>){3}<td class="num bad-cell">1<\/td>/);
    expect(rows('probes')).to.equal(2);
    expect(section('probes')).to.include('<td class="num">+11</td>');
    expect(rows('leaked')).to.equal(1);
    expect(section('leaked')).to.include('<h2>Leaked copies (1)</h2>').and.include('<td class="key">k-9</td>').and.include('<td class="num">201</td>');
  });

  it('says "none" when no copy leaked', async () => {
    const page = await renderHtml({ verdict: verdict(), timeline: [] });
    expect(page).to.match(/<section id="leaked"><h2>Leaked copies \(0\)<\/h2><p class="empty">none<\/p><\/section>/);
  });

  it('draws one line per series, named in data-series and the legend, with the chaos window', async () => {
    const page = await renderHtml({ verdict: verdict(), timeline: timeline(100) });
    expect(page).to.include('<figure id="timeline-chart" data-series="orders,dedup_hits,copies,originals">');
    const names = ['orders', 'dedup_hits', 'copies', 'originals'];
    names.forEach((name, i) => {
      expect(seriesPaths(page, i), name).to.have.length(1);
      expect(page).to.include(`>${name}</text>`);
    });
    expect(seriesPaths(page, 4)).to.have.length(0);
    expect(page).to.include('>chaos window</text>');
  });

  it('downsamples a 20,000-sample timeline to at most 2000 points per line', async () => {
    const t0 = Date.now();
    const page = await renderHtml({ verdict: verdict(), timeline: timeline(20_000) });
    const ms = Date.now() - t0;
    for (let i = 0; i < 4; i++) {
      const [d] = seriesPaths(page, i);
      expect((d.match(/L/g) ?? []).length + 1, `series ${i}`).to.equal(2000);
    }
    expect(page).to.include('Downsampled from 20,000 samples.');
    expect(ms).to.be.below(5000);
  });

  it('is self-contained: no scripts, links, remote URLs or imports', async () => {
    const page = await renderHtml({ verdict: verdict(), timeline: timeline(50) });
    expect(page).to.not.match(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
    // the only URLs are XML namespaces inside the SVG
    const urls = page.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(new Set(urls)).to.deep.equal(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });

  it('shows link outages, what each rule did during them and forced redeliveries; nothing when there were none', async () => {
    expect(await renderHtml({ verdict: verdict(), timeline: [] })).not.to.contain('id="store-down"');
    const v = verdict({
      status: 'fail',
      kafka: { originals: 40, copies: 0, forcedRedeliveries: { rebalances: 1, rewinds: 1, messages: 5, skipped: 0 } },
      linkWindows: [{ link: 'redis', mode: 'refuse', start: '2025-01-01T00:00:10.000Z', end: '2025-01-01T00:00:12.000Z', connections: 3, cutShort: NASTY }],
      storeDown: { 'create-order': { declared: 'fail-closed', observed: 'fail-open', originals: { during: 9, succeeded: 7, refused: 2, waited: 0 }, copies: { during: 4, reExecuted: 4, refused: 0, other: 0 } } },
    });
    const page = await renderHtml({ verdict: v, timeline: [] });
    const storeDown = page.slice(page.indexOf('id="store-down"'));
    expect(storeDown).to.match(/<tr class="bad"><td>create-order<\/td><td>fail-closed<\/td><td>fail-open<\/td>/);
    expect(page).to.match(/<td>redis<\/td><td>refuse<\/td><td>2025-01-01T00:00:10.000Z<\/td><td>2s<\/td>/);
    expect(page).to.contain('1 rewind(s), 1 rebalance(s),\n5 message(s) re-read');
    expect(page).not.to.contain(NASTY);
  });
});
