/*
 * Drives the worklist board in Debian's headless Chromium (playwright-core, no bundled browser) and prints what
 * it observed as one JSON line on stdout. The JUnit test (BoardBrowserTest) makes the assertions; this script
 * only fails by itself when the browser cannot be driven at all.
 *
 * usage: node board-check.js <interop/node_modules> <base URL> <screenshot.png> [print-screenshot.png]
 *
 * The page clock is frozen at 2026-11-25 08:00 Europe/Paris (Playwright's fake clock), so "today" is the
 * fixture's day and the 30 s auto-refresh is triggered by advancing the fake clock, not by waiting.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const [modulesDir, baseUrl, screenshotPath, printScreenshotPath] = process.argv.slice(2);
if (!modulesDir || !baseUrl || !screenshotPath) {
  console.error('usage: node board-check.js <interop/node_modules> <base URL> <screenshot.png> [print.png]');
  process.exit(2);
}
const { launch, rowsOf, waitForRows, detailOf, TIMEOUT } = require('./board-page.js');

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-chromium-'));
  const apiRequests = [];
  const consoleErrors = [];
  const context = await launch(modulesDir, userDataDir, { timezoneId: 'Europe/Paris' });
  const result = { chromium: context.browser() ? context.browser().version() : null };
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('console', (m) => { if (m.type() === 'error') { consoleErrors.push(m.text()); } });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) { apiRequests.push(u.pathname + u.search); }
    });
    const worklistRequests = () => apiRequests.filter((u) => u.startsWith('/api/worklist'));

    await page.clock.install({ time: new Date('2026-11-25T08:00:00+01:00') });
    const response = await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
    result.pageStatus = response.status();
    result.pageContentType = response.headers()['content-type'];
    result.title = await page.title();

    // 1. the day's rows, all stations
    result.rows = await waitForRows(page, () => document.querySelectorAll('#stations tr.item').length > 0);
    result.stationSections = await page.$$eval('#stations section.station', (ss) => ss.map((s) => ({
      aeTitle: s.getAttribute('data-station'),
      heading: s.querySelector('h3').textContent.trim(),
      meta: s.querySelector('.station-meta').textContent.trim(),
    })));
    result.dateInput = await page.inputValue('#date');
    result.stationOptions = await page.$$eval('#station option', (os) => os.map((o) => o.value));
    result.summary = await page.$eval('#summary', (n) => n.textContent.replace(/\s+/g, ' ').trim());
    result.lastUpdate1 = await page.textContent('#last-update');
    result.statusText = await page.textContent('#status');
    result.revealChecked = await page.isChecked('#reveal');
    result.xssFired = await page.evaluate(() => window.__xss !== undefined);
    result.imgElementsInWorklist = await page.$$eval('#stations img', (n) => n.length);

    // 2. the Gd report panel
    await page.waitForSelector('#report-body .kpis', { timeout: TIMEOUT });
    result.report = await page.$eval('#report-body', (b) => ({
      period: b.querySelector('.report-period').textContent.trim(),
      exams: b.querySelector('#kpi-exams .kpi-value').textContent.trim(),
      given: b.querySelector('#kpi-given .kpi-value').textContent.trim(),
      avoided: b.querySelector('#kpi-avoided .kpi-value').textContent.trim(),
      mmol: b.querySelector('#kpi-mmol .kpi-value').textContent.trim(),
      compare: b.querySelector('.compare p').textContent.replace(/\s+/g, ' ').trim(),
      byCard: Object.fromEntries(Array.from(b.querySelectorAll('table.by-card tr')).map(
        (tr) => [tr.getAttribute('data-card'), tr.querySelector('td.num').textContent.trim()])),
      topPatients: Array.from(b.querySelectorAll('table.top-patients tbody tr')).map(
        (tr) => Array.from(tr.children).map((td) => td.textContent.trim())),
    }));
    result.reportInputs = { from: await page.inputValue('#report-from'), to: await page.inputValue('#report-to') };

    // 3. expand one item: reasons, rule and the code each vendor's console receives
    const expandId = 'SPS1005';
    result.detailBefore = await detailOf(page, expandId);
    await page.click(`#stations tr.item[data-sps-id="${expandId}"] button.toggle`);
    result.detail = await detailOf(page, expandId);
    result.detail.spsId = expandId;

    // 4. auto-refresh: advance the fake clock past 30 s; a new request must go out and the time must move on
    const before = worklistRequests().length;
    await page.clock.fastForward(31000);
    await page.waitForFunction((t) => {
      const n = document.querySelector('#last-update');
      return n && n.textContent !== t;
    }, result.lastUpdate1, { timeout: TIMEOUT });
    result.refresh = {
      requestsBefore: before,
      requestsAfter: worklistRequests().length,
      lastUpdate2: await page.textContent('#last-update'),
      detailStillOpen: (await detailOf(page, expandId)).visible,
    };

    // 4b. the gateway fails one poll: the page says so, keeps the last rows (dimmed), and recovers on the next poll
    await page.route('**/api/worklist*', (route) => route.fulfill({
      status: 503, contentType: 'text/plain', body: 'database unavailable' }));
    await page.clock.fastForward(31000);
    await page.waitForSelector('#error:not([hidden])', { timeout: TIMEOUT });
    result.outage = {
      error: await page.textContent('#error'),
      rowsKept: (await rowsOf(page)).length,
      stale: await page.$eval('#stations', (n) => n.classList.contains('stale')),
    };
    await page.unroute('**/api/worklist*');
    await page.clock.fastForward(31000);
    await page.waitForSelector('#error[hidden]', { state: 'attached', timeout: TIMEOUT });
    result.outage.recovered = !(await page.$eval('#stations', (n) => n.classList.contains('stale')));

    // 5. screenshots of the full board (one detail open), screen and print
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    result.screenshot = screenshotPath;
    if (printScreenshotPath) {
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: printScreenshotPath, fullPage: true });
      result.printFiltersHidden = await page.$eval('#filters', (f) => getComputedStyle(f).display === 'none');
      await page.emulateMedia({ media: 'screen' });
      result.printScreenshot = printScreenshotPath;
    }

    // 6. station filter: only that station's rows, and the station goes to the server
    const allIds = result.rows.map((r) => r.spsId).join(',');
    await page.selectOption('#station', 'MR_GE');
    result.filteredRows = await waitForRows(page, (ids) => {
      const now = Array.from(document.querySelectorAll('#stations tr.item')).map((t) => t.getAttribute('data-sps-id'));
      return now.length > 0 && now.join(',') !== ids;
    }, allIds);
    result.filteredSections = await page.$$eval('#stations section.station', (ss) => ss.map((s) => s.getAttribute('data-station')));
    result.filteredUrl = new URL(page.url()).search;

    // 7. another date: the request carries it, and an empty day says so
    await page.fill('#date', '2026-11-26');
    await page.dispatchEvent('#date', 'change');
    await page.waitForFunction(() => document.querySelectorAll('#stations tr.item').length === 0
      && document.querySelector('#stations .empty'), null, { timeout: TIMEOUT });
    result.otherDay = {
      rows: (await rowsOf(page)).length,
      empty: await page.$$eval('#stations .empty', (n) => n.map((e) => e.textContent.trim())),
      heading: await page.textContent('#worklist-date'),
      reportInputs: { from: await page.inputValue('#report-from'), to: await page.inputValue('#report-to') },
    };

    // 8. back to today (still on one station), then full identity only on an explicit choice
    await page.click('#today');
    await page.waitForSelector('#stations tr.item', { timeout: TIMEOUT });
    result.backToday = { dateInput: await page.inputValue('#date'), rows: (await rowsOf(page)).map((r) => r.spsId) };
    await page.check('#reveal');
    result.revealedRows = await waitForRows(page, () => {
      const ids = Array.from(document.querySelectorAll('#stations .c-patient .pid'));
      return ids.length > 0 && ids.every((n) => !n.textContent.includes('*'));
    });
    result.revealedNames = await page.$$eval('#stations .patient-name', (ns) => ns.map((n) => n.textContent));
    await page.uncheck('#reveal');
    result.maskedAgainRows = await waitForRows(page, () => {
      const ids = Array.from(document.querySelectorAll('#stations .c-patient .pid'));
      return ids.length > 0 && ids.every((n) => n.textContent.includes('*'));
    });
    result.maskedAgainNames = await page.$$eval('#stations .patient-name', (ns) => ns.length);

    result.apiRequests = apiRequests;
    result.consoleErrors = consoleErrors;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
