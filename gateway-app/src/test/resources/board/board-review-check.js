/*
 * The radiologist review on the board of a running gateway, in Debian's headless Chromium: log in as a
 * radiologist, CONFIRM one decision, OVERRIDE another (FULL without Gd, with a reason), read the audit panel.
 * Prints what it saw as one JSON line; BoardReviewBrowserTest checks it and asks the console (findscu).
 *
 * usage: node board-review-check.js <interop/node_modules> <base URL> <YYYY-MM-DD> <user> <password>
 *        <confirm accession> <override accession> <screenshot.png>
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { launch, rowsOf, TIMEOUT } = require('./board-page.js');

const [modulesDir, baseUrl, date, user, password, confirmAcc, overrideAcc, screenshotPath] = process.argv.slice(2);
if (!screenshotPath) {
  console.error('usage: node board-review-check.js <node_modules> <base URL> <date> <user> <password> <confirm> <override> <png>');
  process.exit(2);
}

async function cards(page) {
  return page.$$eval('#review-list article.review-item', (as) => as.map((a) => ({
    accession: a.getAttribute('data-accession'),
    state: a.getAttribute('data-state'),
    version: a.getAttribute('data-version'),
    proposed: (a.querySelector('.proposed') || {}).textContent || null,
    published: (a.querySelector('.published') || {}).textContent || null,
    why: Array.from(a.querySelectorAll('.why li')).map((li) => li.textContent.trim()),
    alerts: Array.from(a.querySelectorAll('.alerts li')).map((li) => li.textContent.replace('⚠', '').trim()),
    reviewed: (a.querySelector('.reviewed') || {}).textContent || null,
    hasConfirm: !!a.querySelector('button.confirm'),
  })));
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-review-chromium-'));
  const consoleErrors = [];
  const context = await launch(modulesDir, userDataDir, {});
  const result = {};
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('console', (m) => { if (m.type() === 'error') { consoleErrors.push(m.text()); } });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    await page.goto(`${baseUrl}/?date=${date}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => document.querySelectorAll('#stations tr.item').length > 0, null, { timeout: TIMEOUT });
    result.worklistBefore = await rowsOf(page);
    result.reviewHiddenBeforeLogin = await page.$eval('#review', (n) => n.hidden);
    result.auditHiddenBeforeLogin = await page.$eval('#audit', (n) => n.hidden);

    // a wrong password says so and logs nobody in
    await page.click('#show-login');
    await page.fill('#login-user', user);
    await page.fill('#login-password', 'not the password');
    await page.click('#login-submit');
    await page.waitForFunction(() => !document.querySelector('#login-error').hidden, null, { timeout: TIMEOUT });
    result.wrongLogin = await page.textContent('#login-error');

    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForFunction(() => !document.querySelector('#review').hidden
      && document.querySelectorAll('#review-list article.review-item').length > 0, null, { timeout: TIMEOUT });
    result.account = await page.textContent('#account-user');
    result.cookieVisibleToScript = await page.evaluate(() => document.cookie.indexOf('MWLSESSION') >= 0);
    result.before = await cards(page);

    // CONFIRM the first, with a reason
    const confirmCard = `#review-list article[data-accession="${confirmAcc}"]`;
    await page.fill(`${confirmCard} input.confirm-reason`, 'eGFR 24 stable, Gd needed for the diagnosis');
    await page.click(`${confirmCard} button.confirm`);
    await page.waitForFunction((sel) => {
      const a = document.querySelector(sel);
      return a && a.getAttribute('data-state') === 'CONFIRMED';
    }, confirmCard, { timeout: TIMEOUT });
    result.confirmMessage = await page.textContent('#review-message');

    // OVERRIDE the second: FULL without Gd, no optional sequence, a reason
    const overrideCard = `#review-list article[data-accession="${overrideAcc}"]`;
    result.overrideFormVisibleBefore = await page.isVisible(`${overrideCard} form.override-form`);
    await page.click(`${overrideCard} button.override`);
    result.overrideFormVisibleAfterClick = await page.isVisible(`${overrideCard} form.override-form`);
    await page.selectOption(`${overrideCard} select.o-card`, 'FULL');
    await page.check(`${overrideCard} input.o-gd-no`);
    // the reason is mandatory: an empty one is refused on the page
    await page.click(`${overrideCard} button.o-submit`);
    result.emptyReasonMessage = await page.textContent('#review-message');
    await page.fill(`${overrideCard} textarea.o-reason`, 'Clinically stable relapse, Gd not needed');
    await page.click(`${overrideCard} button.o-submit`);
    await page.waitForFunction((sel) => {
      const a = document.querySelector(sel);
      return a && a.getAttribute('data-state') === 'OVERRIDDEN';
    }, overrideCard, { timeout: TIMEOUT });
    result.overrideMessage = await page.textContent('#review-message');
    result.after = await cards(page);

    // the audit panel lists both, with the user
    await page.click('#audit-refresh');
    await page.waitForFunction(() => document.querySelectorAll('#audit-body tr[data-action="OVERRIDE"]').length > 0,
      null, { timeout: TIMEOUT });
    result.audit = await page.$$eval('#audit-body tbody tr', (trs) => trs.map((tr) => ({
      action: tr.getAttribute('data-action'),
      user: tr.querySelector('.a-user').textContent,
      from: tr.querySelector('.a-from').textContent,
      accession: tr.querySelector('.a-acc').textContent,
      change: tr.querySelector('.a-change').textContent,
      reason: tr.querySelector('.a-reason').textContent,
      at: tr.querySelector('.a-at').textContent,
    })));

    // the worklist below shows the new decisions
    await page.waitForFunction((acc) => Array.from(document.querySelectorAll('#stations tr.item'))
      .some((tr) => tr.querySelector('.acc').textContent === acc && /^Gd/.test(tr.querySelector('.c-contrast').textContent)),
    confirmAcc, { timeout: TIMEOUT });
    result.worklistContrast = await page.$$eval('#stations tr.item', (trs) => trs.map((tr) => ({
      accession: tr.querySelector('.acc').textContent,
      contrast: tr.querySelector('.c-contrast').textContent,
      reviewTag: (tr.querySelector('.tag-review') || {}).textContent || null,
    })));

    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    result.screenshot = screenshotPath;

    await page.click('#logout');
    await page.waitForFunction(() => document.querySelector('#review').hidden, null, { timeout: TIMEOUT });
    result.loggedOut = true;
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
