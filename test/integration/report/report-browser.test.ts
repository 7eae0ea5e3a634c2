// Opens a rendered report from the fixture run directory in real headless Chromium (file:// URL).
import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { artifactPath, launchBrowser } from '../../helpers/browser';
import { renderReport } from '../../../src/report/render';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'run-dir');
const SERIES = ['orders', 'ledger', 'emails', 'dedup_hits', 'copies', 'originals'];

describe('HTML report in headless Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doubletap-report-'));
    cpSync(FIXTURE, dir, { recursive: true }); // never write index.html into the fixture itself
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the verdict, the chart with its series and the tables, and fetches nothing', async () => {
    const file = await renderReport(dir);
    expect(file).to.equal(join(dir, 'index.html'));

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    // The verdict, big and red.
    expect(await page.locator('#verdict-status').textContent()).to.equal('FAIL');
    expect(await page.locator('#scenario-name').textContent()).to.equal('checkout-duplicates');
    expect(await page.locator('#verdict-reason').textContent()).to.include('3 of 4 invariants violated');
    // A string expression: tsconfig has no DOM lib, the code runs in the page.
    const bg = await page.evaluate("getComputedStyle(document.getElementById('verdict')).backgroundColor");
    expect(bg).to.equal('rgb(185, 28, 28)');

    // The chart: its series, one line each, with as many points as the fixture has readings.
    const fig = page.locator('#timeline-chart');
    expect(await fig.getAttribute('data-series')).to.equal(SERIES.join(','));
    expect(await fig.locator('svg').count()).to.equal(1);
    const legend = await fig.locator('.role-legend-label text').allTextContents();
    expect(legend).to.include.members(SERIES);
    const points: number[] = [];
    for (let i = 0; i < SERIES.length; i++) {
      const paths = fig.locator(`g.series_${i}_marks > path`);
      expect(await paths.count(), SERIES[i]).to.equal(1);
      const d = (await paths.getAttribute('d')) ?? '';
      points.push((d.match(/L/g) ?? []).length + 1);
    }
    // 151 samples; emails failed to read twice (gaps are left out, not drawn as zero).
    expect(points).to.deep.equal([151, 151, 149, 151, 151, 151]);
    expect(await fig.locator('text', { hasText: 'chaos window' }).count()).to.equal(1);
    const box = await fig.locator('svg').boundingBox();
    expect(box!.width).to.be.above(800);

    // Tables.
    expect(await page.locator('#invariants tbody tr').count()).to.equal(4);
    expect(await page.locator('#invariants tbody tr.bad').count()).to.equal(3);
    expect(await page.locator('#probes tbody tr').count()).to.equal(4);
    expect(await page.locator('#leaked tbody tr').count()).to.equal(10);
    // A hostile key is shown as text, never run.
    const keys = await page.locator('#leaked tbody td.key').allTextContents();
    expect(keys).to.include('<img src=x onerror=alert(1)>').and.include('"quoted" & <b>bold</b>');
    expect(await page.locator('img, script, b').count()).to.equal(0);
    expect(dialogs).to.deep.equal([]);

    // Offline: the only request was the file itself.
    expect(requests).to.deep.equal([url]);

    await page.screenshot({ path: artifactPath('report.png'), fullPage: true });
    await page.close();
  });

  it('fails with a clear message when Chromium is missing (never skips)', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const err = await launchBrowser().then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).to.match(/^Chromium not found at \/nonexistent\/chromium: install it/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
