/*
 * The worklist board of a running gateway (orders sent over MLLP by the JUnit test), in Debian's headless
 * Chromium: reads every row, opens every detail, saves a screenshot, prints what it saw as one JSON line.
 * BoardLiveGatewayTest compares it with the gateway's own /api/worklist answer.
 *
 * usage: node board-live-check.js <interop/node_modules> <base URL> <YYYY-MM-DD> <screenshot.png>
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { launch, rowsOf, waitForRows, detailOf, TIMEOUT } = require('./board-page.js');

const [modulesDir, baseUrl, date, screenshotPath] = process.argv.slice(2);
if (!modulesDir || !baseUrl || !date || !screenshotPath) {
  console.error('usage: node board-live-check.js <interop/node_modules> <base URL> <YYYY-MM-DD> <screenshot.png>');
  process.exit(2);
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-live-chromium-'));
  const consoleErrors = [];
  const context = await launch(modulesDir, userDataDir, {});
  const result = {};
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('console', (m) => { if (m.type() === 'error') { consoleErrors.push(m.text()); } });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    // the day is given in the URL, so the test does not depend on the browser's idea of "today"
    await page.goto(`${baseUrl}/?date=${date}`, { waitUntil: 'domcontentloaded' });
    result.rows = await waitForRows(page, () => document.querySelectorAll('#stations tr.item').length > 0);
    result.stationSections = await page.$$eval('#stations section.station', (ss) => ss.map((s) => s.getAttribute('data-station')));
    result.dateInput = await page.inputValue('#date');
    result.lastUpdate = await page.textContent('#last-update');
    result.errorBanner = await page.$eval('#error', (n) => (n.hidden ? null : n.textContent));

    await page.click('#expand-all');
    result.details = {};
    for (const row of result.rows) {
      result.details[row.spsId] = await detailOf(page, row.spsId);
    }

    // the report panel either shows the gateway's figures or says plainly why it cannot
    await page.waitForFunction(() => document.querySelector('#report-body').children.length > 0, null, { timeout: TIMEOUT });
    result.reportText = await page.$eval('#report-body', (n) => n.textContent.replace(/\s+/g, ' ').trim());

    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    result.screenshot = screenshotPath;
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
