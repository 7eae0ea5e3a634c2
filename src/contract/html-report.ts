// The contract report: one self-contained HTML file (inline CSS, no scripts, nothing fetched), in the
// run report's style: the status up top, an operation × check matrix, then every check's evidence.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { html, raw } from '../report/escape';
import { STYLE } from '../report/style';
import type { ContractReport, OperationResult } from './run';
import { STATUS_WORD } from './table';
import { CHECK_NAMES } from './types';

const EXTRA = `
.cell { font-weight: 700; white-space: nowrap; }
.cell-pass { color: var(--pass); } .cell-fail { color: var(--fail); background: #fef2f2; }
.cell-inconclusive { color: var(--inconclusive); background: #f9fafb; } .cell-not-applicable { color: var(--muted); font-weight: 400; }
ul.evidence { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: 13px; }
`;

export function renderContractHtml(r: ContractReport): string {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>doubletap contract · ${r.status}</title>
<style>${raw(STYLE + EXTRA)}</style></head>
<body><main>
<div id="verdict" class="verdict status-${r.status}">
  <div id="contract-status" class="status-word">${r.status.toUpperCase()}</div>
  <div><h1 id="spec-name">${r.spec}</h1><p class="status-text"><span id="contract-reason" class="reason">${r.reason}</span></p></div>
</div>
<dl class="meta">
  <div><dt>base URL</dt><dd>${r.baseUrl}</dd></div><div><dt>seed</dt><dd>${r.seed}</dd></div>
  <div><dt>run id</dt><dd>${r.runId}</dd></div>
  <div><dt>checks</dt><dd>${r.counts.pass} pass · ${r.counts.fail} fail · ${r.counts.inconclusive} inconclusive · ${r.counts['not-applicable']} n/a</dd></div>
</dl>
<section id="matrix"><h2>Operations × checks</h2><table>
<thead><tr><th>operation</th>${CHECK_NAMES.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${r.operations.map(matrixRow)}</tbody></table></section>
${r.operations.map(details)}
<footer>doubletap contract · ${r.startedAt} → ${r.endedAt}</footer>
</main></body></html>
`;
  return page.html;
}

function matrixRow(op: OperationResult) {
  const cells = CHECK_NAMES.map((c) => {
    const res = op.results.find((x) => x.check === c);
    return res ? html`<td class="cell cell-${res.status}" data-check="${c}" title="${res.summary}">${STATUS_WORD[res.status]}</td>` : html`<td></td>`;
  });
  return html`<tr data-operation="${op.id}"><td class="key">${op.id}</td>${cells}</tr>`;
}

function details(op: OperationResult) {
  const probe = op.probe ? html` · side effects through ${op.probe}` : html` · no probe: answers only`;
  return html`<section class="operation" data-operation="${op.id}"><h2>${op.id}</h2>
<p class="muted">${op.operationId ? `operationId ${op.operationId}` : 'no operationId'}${probe}</p>
<table><thead><tr><th>check</th><th>result</th><th>why, and the evidence</th></tr></thead><tbody>
${op.results.map((res) => html`<tr class="${res.status === 'fail' ? 'bad' : 'ok'}" data-check="${res.check}"><td class="key">${res.check}</td>
<td class="cell cell-${res.status}">${STATUS_WORD[res.status]}</td>
<td>${res.summary}${res.evidence.length ? html`<ul class="evidence">${res.evidence.map((e) => html`<li>${e}</li>`)}</ul>` : ''}</td></tr>`)}
</tbody></table></section>`;
}

/** Writes index.html and contract.json into `dir`; returns the HTML file's path. */
export async function writeContractReport(dir: string, r: ContractReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'contract.json'), JSON.stringify(r, null, 2) + '\n', 'utf8');
  const file = join(dir, 'index.html');
  await writeFile(file, renderContractHtml(r), 'utf8');
  return file;
}
