import { expect } from 'chai';
import { escapeHtml, html, raw } from '../../../src/report/escape';
import { fmtDuration, fmtNum, fmtSigned } from '../../../src/report/format';

describe('report escaping', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(null)).to.equal('');
    expect(escapeHtml(42)).to.equal('42');
  });

  it('html`` escapes interpolations, arrays included, but not raw() or nested html``', () => {
    const key = '<img src=x onerror=alert(1)>';
    const out = html`<td>${key}</td>${[key, html`<b>${'&'}</b>`]}${raw('<i>ok</i>')}`.html;
    expect(out).to.equal('<td>&lt;img src=x onerror=alert(1)&gt;</td>&lt;img src=x onerror=alert(1)&gt;<b>&amp;</b><i>ok</i>');
  });
});

describe('report formatting', () => {
  it('formats numbers, signed deltas and durations', () => {
    expect(fmtNum(1234567)).to.equal('1,234,567');
    expect(fmtNum(null)).to.equal('—');
    expect(fmtNum(0.12345)).to.equal('0.123');
    expect(fmtSigned(5)).to.equal('+5');
    expect(fmtSigned(-3)).to.equal('-3');
    expect(fmtSigned(0)).to.equal('0');
    expect(fmtDuration('2025-01-01T00:00:00Z', '2025-01-01T00:02:30Z')).to.equal('2m 30s');
    expect(fmtDuration('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z')).to.equal('1h');
    expect(fmtDuration('2025-01-01T00:00:00Z', '2025-01-01T00:00:00.250Z')).to.equal('250ms');
    expect(fmtDuration('nope', '2025-01-01T00:00:00Z')).to.equal('—');
  });
});
