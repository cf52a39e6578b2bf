/*
 * What the worklist board shows, read from the DOM: shared by board-check.js (fixture) and board-live-check.js
 * (running gateway). Text only, as a reader would see it.
 */
'use strict';

const path = require('path');

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT = 15000;

/** Debian's Chromium, headless, in a fresh profile directory, the way the tests must run it. */
async function launch(modulesDir, userDataDir, options) {
  const { chromium } = require(path.join(modulesDir, 'playwright-core'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    ...options,
  });
}

async function rowsOf(page) {
  return page.$$eval('#stations tr.item', (trs) => trs.map((tr) => {
    const text = (sel) => { const n = tr.querySelector(sel); return n ? n.textContent.trim() : null; };
    const alertNodes = Array.from(tr.querySelectorAll('.c-alerts .alert'));
    return {
      spsId: tr.getAttribute('data-sps-id'),
      station: tr.closest('section.station').getAttribute('data-station'),
      time: text('.time'),
      status: text('.status-pill'),
      priority: text('.priority-pill'),
      initials: text('.initials'),
      patientId: text('.c-patient .pid'),
      accession: text('.acc'),
      procedure: text('.procedure'),
      card: text('.card'),
      spine: !!tr.querySelector('.tag-spine'),
      reviewTag: text('.tag-review'),
      contrast: text('.c-contrast'),
      alerts: alertNodes.map((a) => a.textContent.replace('⚠', '').trim()),
      alertColors: alertNodes.map((a) => getComputedStyle(a).color),
      toggleLabel: text('button.toggle'),
    };
  }));
}

async function waitForRows(page, predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: TIMEOUT });
  return rowsOf(page);
}

async function detailOf(page, spsId) {
  return page.$eval(`#stations tr.detail[data-detail-for="${spsId}"]`, (tr) => {
    const button = document.querySelector(`#stations button[aria-controls="${tr.id}"]`);
    const codes = {};
    tr.querySelectorAll('table.codes tbody tr').forEach((row) => {
      const vendor = row.getAttribute('data-vendor');
      const value = row.querySelector('.code-value');
      if (!value) { return; }
      (codes[vendor] = codes[vendor] || []).push({
        value: value.textContent.trim(),
        scheme: row.querySelector('.code-scheme').textContent.trim(),
        meaning: row.querySelector('.code-meaning').textContent.trim(),
      });
    });
    const thisStation = tr.querySelector('table.codes tr.this-vendor');
    return {
      visible: !tr.hidden && tr.getBoundingClientRect().height > 0,
      ariaExpanded: button ? button.getAttribute('aria-expanded') : null,
      rule: (tr.querySelector('.rule') || {}).textContent || null,
      reasons: Array.from(tr.querySelectorAll('ol.reasons li')).map((li) => li.textContent.trim()),
      advice: Array.from(tr.querySelectorAll('ul.advice li')).map((li) => li.textContent.trim()),
      facts: Array.from(tr.querySelectorAll('table.order-facts tbody tr')).map((r) => ({
        name: r.getAttribute('data-fact'),
        label: r.querySelector('.fact-name').textContent.trim(),
        value: r.querySelector('.fact-value').textContent.trim(),
        source: r.querySelector('.fact-source').textContent.trim(),
        text: r.querySelector('.fact-text').textContent.trim(),
      })),
      optional: (tr.querySelector('.optional') || {}).textContent || null,
      stationVendor: thisStation ? thisStation.getAttribute('data-vendor') : null,
      codes,
    };
  });
}

module.exports = { launch, rowsOf, waitForRows, detailOf, TIMEOUT };
