// The evidence behind the verdict, per rule and relay: how many copies were judged, and how — by the
// replay header, by the resource identity, by status (a refusal, 409), or only by the books.
// docs/verdict.md explains how to read it.
import type { Verdict } from '../reconcile/types';
import { html, type SafeHtml } from './escape';
import { fmtNum } from './format';

const HEAD = ['rule / relay', 'originals', 'ops', 'copies', 'not sent', 'by header', 'by identity', 'by status', 'by books', 'unverified', 'judged', 'books (invariants)', 'enough?'];

export function evidenceSection(v: Verdict): SafeHtml {
  const rows = Object.entries(v.evidence ?? {}).map(([name, e]) => {
    const notSent = Object.values(e.dropped ?? {}).reduce((a, b) => a + b, 0);
    const statuses = Object.entries(e.originalStatuses ?? {}).map(([s, n]) => `${n}× ${s}`).join(', ');
    return html`<tr class="${e.sufficient ? 'ok' : 'bad'}"><td>${name} <span class="muted">(${e.kind})</span></td>
<td class="num" title="${statuses}">${fmtNum(e.originals)}</td><td class="num">${fmtNum(e.ops)}</td><td class="num">${fmtNum(e.copies)}</td>
<td class="num">${notSent ? fmtNum(notSent) : '·'}</td><td class="num">${fmtNum(e.verified.header)}</td><td class="num">${fmtNum(e.verified.identity)}</td>
<td class="num">${fmtNum(e.verified.status)}</td><td class="num">${fmtNum(e.verified.books)}</td><td class="num">${fmtNum(e.outcomes?.unverified ?? 0)}</td>
<td class="num">${fmtNum(e.judged)}</td><td>${e.books.join('; ') || '—'}</td><td>${e.sufficient ? '✔ yes' : `✘ ${e.reason ?? ''}`}</td></tr>`;
  });
  const settle = v.settle
    ? html`<p class="muted" id="settle">settle: ${v.settle.drained ? 'drained' : `not drained (${fmtNum(v.settle.pending)} in flight)`}${
        v.settle.unstable.length ? `; still moving: ${v.settle.unstable.join(', ')}` : '; probes stable'
      }</p>`
    : '';
  const body = rows.length
    ? html`<table><thead><tr>${HEAD.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="empty">no evidence recorded (a verdict from before doubletap 0.2)</p>`;
  return html`<section id="evidence"><h2>Evidence</h2>${body}${settle}</section>`;
}
