/*
 * Two radiologists and the board's periodic refresh (found by an independent review): a CONFIRM after a refresh
 * silently replaced a colleague's override (the refresh handed the newest version to the click), the refresh
 * closed an open override form and emptied its reason, and the board could not act on an accession with two steps
 * (brain and spine). Prints what it saw as one JSON line; BoardReviewRaceBrowserTest checks it.
 *
 * usage: node board-review-race-check.js <interop/node_modules> <base URL> <YYYY-MM-DD> <user> <password>
 *        <colleague> <colleague's password> <race accession> <form accession> <two-step accession>
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { launch, TIMEOUT } = require('./board-page.js');

const [modulesDir, baseUrl, date, user, password, colleague, colleaguePassword, raceAcc, formAcc, multiAcc] =
  process.argv.slice(2);
if (!multiAcc) {
  console.error('usage: node board-review-race-check.js <node_modules> <base URL> <date> <user> <password> '
    + '<colleague> <password> <race accession> <form accession> <two-step accession>');
  process.exit(2);
}

/* the colleague overrides through the API, as another browser would */
async function colleagueOverrides(accession, version) {
  const login = await fetch(`${baseUrl}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: colleague, password: colleaguePassword }),
  });
  const session = await login.json();
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const res = await fetch(`${baseUrl}/api/review/${encodeURIComponent(accession)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': session.csrfToken },
    body: JSON.stringify({ action: 'OVERRIDE', examCard: 'FULL', contrast: false, reason: 'eGFR 24 - no Gd',
      version: version }),
  });
  return res.status;
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-race-chromium-'));
  const consoleErrors = [];
  const context = await launch(modulesDir, userDataDir, {});
  const result = {};
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.clock.install(); // the 30-second refresh, run on demand
    await page.goto(`${baseUrl}/?date=${date}`, { waitUntil: 'domcontentloaded' });
    await page.click('#show-login');
    await page.fill('#login-user', user);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForFunction(() => !document.querySelector('#review').hidden
      && document.querySelectorAll('#review-list article.review-item').length > 0, null, { timeout: TIMEOUT });

    // an accession with two steps: the card acts on its own step
    const multi = `#review-list article[data-accession="${multiAcc}"]`;
    result.multiCards = await page.$$eval(multi, (as) => as.length);
    await page.click(`${multi} button.confirm`);
    await page.waitForFunction(() => !document.querySelector('#review-message').hidden, null, { timeout: TIMEOUT });
    result.multiMessage = await page.textContent('#review-message');

    // a colleague overrides the decision this page shows, then the periodic refresh comes
    const race = `#review-list article[data-accession="${raceAcc}"]`;
    const loaded = Number(await page.getAttribute(race, 'data-version'));
    result.colleagueStatus = await colleagueOverrides(raceAcc, loaded);
    await page.clock.fastForward(31000);
    await page.waitForFunction((sel) => {
      const a = document.querySelector(sel);
      return a && a.classList.contains('changed-since');
    }, race, { timeout: TIMEOUT });
    result.changedNote = await page.textContent(`${race} .changed-note`);
    result.versionAfterRefresh = Number(await page.getAttribute(race, 'data-version'));
    result.versionLoaded = loaded;
    await page.click(`${race} button.confirm`);
    await page.waitForFunction(() => /changed since you loaded it/.test(document.querySelector('#review-message')
      .textContent), null, { timeout: TIMEOUT });
    result.raceMessage = await page.textContent('#review-message');

    // again, but the person acts on another card first: the reload after that action takes that card's new
    // version only (it used to take every card's, and the next CONFIRM replaced the colleague's change)
    await page.waitForTimeout(1500);
    const again = Number(await page.getAttribute(race, 'data-version'));
    result.colleagueAgainStatus = await colleagueOverrides(raceAcc, again);
    await page.fill(`${multi} input.note-text`, 'seen');
    await page.click(`${multi} button.add-note`);
    await page.waitForFunction(() => /note added/.test(document.querySelector('#review-message').textContent), null,
      { timeout: TIMEOUT });
    await page.waitForTimeout(1000);
    await page.click(`${race} button.confirm`);
    await page.waitForFunction(() => /changed since you loaded it/.test(document.querySelector('#review-message')
      .textContent), null, { timeout: TIMEOUT });
    result.raceAfterOtherAction = await page.textContent('#review-message');

    // an override form open with a reason typed: the refresh leaves it as it is
    const form = `#review-list article[data-accession="${formAcc}"]`;
    await page.waitForTimeout(1500); // the list loaded again after the refusal
    await page.click(`${form} button.override`);
    await page.waitForSelector(`${form} form.override-form:not([hidden])`, { timeout: TIMEOUT });
    await page.fill(`${form} textarea.o-reason`, 'Clinically stable, Gd not needed');
    await page.clock.fastForward(31000);
    await page.waitForTimeout(1500);
    result.formVisibleAfterRefresh = await page.isVisible(`${form} form.override-form`);
    result.reasonAfterRefresh = await page.inputValue(`${form} textarea.o-reason`);
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
