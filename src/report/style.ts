// Inline CSS: the report is one file that opens offline, so no fonts or stylesheets are fetched.
export const STYLE = `
:root { --pass:#15803d; --fail:#b91c1c; --aborted:#b45309; --inconclusive:#6b7280; --ink:#111827; --muted:#6b7280; --line:#e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #f3f4f6; }
main { max-width: 1000px; margin: 24px auto; padding: 0 16px 40px; }
.verdict { display: flex; align-items: center; gap: 24px; padding: 20px 24px; border-radius: 10px; color: #fff; }
.status-pass { background: var(--pass); } .status-fail { background: var(--fail); }
.status-aborted { background: var(--aborted); } .status-inconclusive { background: var(--inconclusive); }
.status-word { font-size: 52px; font-weight: 800; letter-spacing: 2px; line-height: 1; }
.verdict h1 { margin: 0; font-size: 22px; font-weight: 600; word-break: break-word; }
.verdict p { margin: 4px 0 0; } .status-text { opacity: .9; }
.reason { background: rgba(0,0,0,.18); padding: 4px 10px; border-radius: 6px; display: inline-block; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px; margin: 14px 0 0; }
.meta div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.meta dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .4px; }
.meta dd { margin: 2px 0 0; font-weight: 600; word-break: break-word; }
section, figure { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 18px 0 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
h2 { font-size: 17px; margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .3px; border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; word-break: break-word; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.key { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
tr.ok .mark { color: var(--pass); font-weight: 700; white-space: nowrap; }
tr.bad .mark { color: var(--fail); font-weight: 700; white-space: nowrap; }
tr.blind .mark { color: var(--inconclusive); font-weight: 700; white-space: nowrap; }
tr.bad td { background: #fef2f2; }
td.bad-cell { color: var(--fail); font-weight: 700; background: #fef2f2; }
tr.rule-row td { background: #f9fafb; font-weight: 600; } tr.rule-row td.muted { font-weight: 400; }
tr.total-row td { font-weight: 700; border-top: 2px solid var(--line); }
.muted { color: var(--muted); } .empty { color: var(--muted); font-style: italic; margin: 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 18px; text-align: center; }
`;
