// The report's sections, top to bottom after the chart. Every value goes through html`` (escaped).
import { OUTCOMES } from '../journal/types';
import type { Verdict } from '../reconcile/types';
import { html, raw, type SafeHtml } from './escape';
import { fmtDuration, fmtNum, fmtSigned } from './format';

/** Leaked copies beyond this are counted, not listed: the file must stay openable. */
export const MAX_LEAKED_ROWS = 1000;

const STATUS_TEXT: Record<Verdict['status'], string> = {
  pass: 'the evidence shows every duplicate was absorbed',
  fail: 'a duplicate was executed again, or an invariant was violated',
  aborted: 'the run was stopped before it finished',
  inconclusive: 'nothing here proves the service right or wrong: see the reason',
};

export function verdictSection(v: Verdict): SafeHtml {
  const meta: [string, unknown][] = [
    ['seed', v.seed],
    ['environment', v.environment ?? '—'],
    ['started', v.startedAt],
    ['ended', v.endedAt],
    ['duration', fmtDuration(v.startedAt, v.endedAt)],
    ['HTTP originals / copies', `${fmtNum(v.http?.originals)} / ${fmtNum(v.http?.copies)}`],
    ['Kafka originals / copies', `${fmtNum(v.kafka?.originals)} / ${fmtNum(v.kafka?.copies)}`],
  ];
  if (v.kafka?.redeliveries) meta.push(['Kafka redeliveries', fmtNum(v.kafka.redeliveries)]);
  if (v.dryRun) meta.push(['mode', 'dry run (no copies sent)']);
  const known = v.status in STATUS_TEXT;
  return html`<header class="verdict status-${known ? v.status : 'inconclusive'}" id="verdict">
  <div class="status-word" id="verdict-status">${String(v.status).toUpperCase()}</div>
  <div class="verdict-main">
    <h1 id="scenario-name">${v.scenario}</h1>
    <p class="status-text">${known ? STATUS_TEXT[v.status] : ''}</p>
    ${v.reason ? html`<p class="reason" id="verdict-reason"><strong>Reason:</strong> ${v.reason}</p>` : ''}
  </div>
</header>
<dl class="meta">${meta.map(([k, val]) => html`<div><dt>${k}</dt><dd>${val}</dd></div>`)}</dl>`;
}

export function invariantsSection(v: Verdict): SafeHtml {
  const rows = (v.invariants ?? []).map(
    (i) => html`<tr class="${i.ok ? 'ok' : i.blind ? 'blind' : 'bad'}"><td>${i.name}</td><td class="mark">${i.ok ? '✔ ok' : i.blind ? '? blind probe' : '✘ violated'}</td>
<td class="num">${fmtNum(i.expected)}</td><td class="num">${fmtNum(i.actual)}</td><td>${i.detail}</td></tr>`,
  );
  return section('invariants', 'Invariants', ['name', 'ok', 'expected', 'actual', 'detail'], rows, 'no invariants declared');
}

export function outcomesSection(v: Verdict): SafeHtml {
  const head = ['rule', 'fault', ...OUTCOMES, 'total'];
  const rows: SafeHtml[] = [];
  for (const [rule, sum] of Object.entries(v.rules ?? {})) {
    const faults = Object.entries(sum.byFault ?? {});
    rows.push(html`<tr class="rule-row"><td>${rule}</td><td class="muted" colspan="${head.length - 1}">
${fmtNum(sum.originals)} originals · ${fmtNum(sum.ops)} logical ops · ${fmtNum(sum.copies)} copies</td></tr>`);
    for (const [fault, counts] of faults) {
      const total = OUTCOMES.reduce((n, o) => n + (counts[o] ?? 0), 0);
      rows.push(html`<tr><td></td><td>${fault}</td>${OUTCOMES.map((o) => outcomeCell(o, counts[o]))}<td class="num">${fmtNum(total)}</td></tr>`);
    }
  }
  const outcomes = v.http?.outcomes;
  if (outcomes && rows.length) {
    const total = OUTCOMES.reduce((n, o) => n + (outcomes[o] ?? 0), 0);
    rows.push(html`<tr class="total-row"><td>all HTTP</td><td></td>${OUTCOMES.map((o) => outcomeCell(o, outcomes[o]))}<td class="num">${fmtNum(total)}</td></tr>`);
  }
  return section('outcomes', 'Copy outcomes by rule and fault', head, rows, 'none');
}

function outcomeCell(outcome: string, n: number | undefined): SafeHtml {
  const bad = (outcome === 're-executed' || outcome === 'wrong-replay') && (n ?? 0) > 0;
  return html`<td class="num${bad ? ' bad-cell' : ''}">${n ? fmtNum(n) : '·'}</td>`;
}

export function probesSection(v: Verdict): SafeHtml {
  const rows = Object.entries(v.probes ?? {}).map(
    ([name, p]) => html`<tr${p.error ? raw(' class="bad"') : ''}><td>${name}</td><td class="num">${fmtNum(p.before)}</td>
<td class="num">${fmtNum(p.after)}</td><td class="num">${fmtSigned(p.delta)}</td><td>${p.error ?? ''}</td></tr>`,
  );
  return section('probes', 'Probes: before, after, delta', ['probe', 'before', 'after', 'delta', 'error'], rows, 'no probes');
}

export function leakedSection(v: Verdict): SafeHtml {
  const leaked = v.leaked ?? [];
  const rows = leaked.slice(0, MAX_LEAKED_ROWS).map(
    (c) => html`<tr><td>${c.rule}</td><td>${c.fault ?? ''}</td><td class="key">${c.key ?? ''}</td><td class="key">${c.id}</td>
<td class="key">${c.of ?? ''}</td><td>${c.outcome}</td><td class="num">${c.status ?? ''}</td></tr>`,
  );
  const more = leaked.length > MAX_LEAKED_ROWS ? html`<p class="muted">…and ${fmtNum(leaked.length - MAX_LEAKED_ROWS)} more (see journal.jsonl)</p>` : '';
  const title = `Leaked copies (${fmtNum(leaked.length)})`;
  return html`${section('leaked', title, ['rule', 'fault', 'key', 'id', 'of', 'outcome', 'status'], rows, 'none')}${more}`;
}

export function section(id: string, title: string, head: readonly string[], rows: SafeHtml[], empty: string): SafeHtml {
  const body = rows.length ? html`<table><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>` : html`<p class="empty">${empty}</p>`;
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}
