// JUnit XML for CI systems: one <testsuite> per operation, one <testcase> per check. A fail is a
// <failure>; inconclusive is an <error> (the check could not be decided: not green); not applicable is
// <skipped>. The evidence goes into the element's text, where CI systems show it.
import type { ContractReport } from './run';

export function renderJunit(report: ContractReport): string {
  const suites = report.operations.map((op) => {
    const n = (s: string): number => op.results.filter((r) => r.status === s).length;
    const time = op.results.reduce((t, r) => t + (r.durationMs ?? 0), 0) / 1000;
    const cases = op.results.map((r) => {
      const attrs = `name="${xml(r.check)}" classname="${xml(op.id)}" time="${((r.durationMs ?? 0) / 1000).toFixed(3)}"`;
      const text = xml([r.summary, ...r.evidence].join('\n'));
      if (r.status === 'fail') return `    <testcase ${attrs}>\n      <failure message="${xml(r.summary)}" type="fail">${text}</failure>\n    </testcase>`;
      if (r.status === 'inconclusive') return `    <testcase ${attrs}>\n      <error message="${xml(r.summary)}" type="inconclusive">${text}</error>\n    </testcase>`;
      if (r.status === 'not-applicable') return `    <testcase ${attrs}>\n      <skipped message="${xml(r.summary)}"/>\n    </testcase>`;
      return `    <testcase ${attrs}>\n      <system-out>${text}</system-out>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xml(op.id)}" tests="${op.results.length}" failures="${n('fail')}" errors="${n('inconclusive')}" skipped="${n('not-applicable')}" time="${time.toFixed(3)}" timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ''))}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const c = report.counts;
  const total = c.pass + c.fail + c.inconclusive + c['not-applicable'];
  const time = (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="doubletap contract" tests="${total}" failures="${c.fail}" errors="${c.inconclusive}" skipped="${c['not-applicable']}" time="${time.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** Escapes text and attribute values; drops characters XML 1.0 cannot carry at all. */
export function xml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
