// The report's "Infrastructure faults" section: link outages, what each rule did during them, and the
// forced consumer redeliveries. Empty (not rendered) when the scenario had none.
import type { Verdict } from '../reconcile/types';
import { html, type SafeHtml } from './escape';
import { fmtDuration, fmtNum } from './format';
import { section } from './sections';

export function infraSection(v: Verdict): SafeHtml | string {
  const windows = v.linkWindows ?? [];
  const storeDown = Object.entries(v.storeDown ?? {});
  const forced = v.kafka?.forcedRedeliveries;
  if (windows.length === 0 && storeDown.length === 0 && !forced) return '';
  const windowRows = windows.map(
    (w) => html`<tr><td>${w.link}</td><td>${w.mode}</td><td>${w.start}</td><td>${fmtDuration(w.start, w.end)}</td>
<td class="num">${fmtNum(w.connections)}</td><td>${w.cutShort ?? ''}</td></tr>`,
  );
  const ruleRows = storeDown.map(([rule, r]) => {
    const bad = r.declared === 'fail-closed' && r.observed === 'fail-open';
    return html`<tr class="${bad ? 'bad' : 'ok'}"><td>${rule}</td><td>${r.declared ?? '—'}</td><td>${r.observed}</td>
<td class="num">${fmtNum(r.originals.during)}</td><td class="num">${fmtNum(r.originals.refused)}</td><td class="num">${fmtNum(r.originals.succeeded)}</td>
<td class="num">${fmtNum(r.copies.during)}</td><td class="num">${fmtNum(r.copies.reExecuted)}</td></tr>`;
  });
  const forcedText = forced
    ? html`<p id="forced-redeliveries">Forced redeliveries: ${fmtNum(forced.rewinds)} rewind(s), ${fmtNum(forced.rebalances)} rebalance(s),
${fmtNum(forced.messages)} message(s) re-read by the service's own groups${forced.skipped ? `, ${forced.skipped} skipped` : ''} (journal lines <code>kind: redeliver</code>).</p>`
    : '';
  return html`${section('links', 'Link outages', ['link', 'mode', 'start', 'length', 'connections', 'cut short'], windowRows, 'no link window')}
${section('store-down', 'While the store was down', ['rule', 'declared', 'observed', 'originals', 'refused', 'succeeded', 'copies', 're-executed'], ruleRows, 'no rule had traffic inside an outage')}
${forcedText}`;
}
