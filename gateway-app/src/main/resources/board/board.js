/*
 * MWL Gateway worklist board. Read-only view of the day's worklist and of the gadolinium report.
 *
 * Plain browser JavaScript served from the jar: no build step, no CDN, works offline.
 * Every value that comes from the gateway is written with textContent (never innerHTML), because the worklist
 * carries free text from the RIS (procedure descriptions, reasons) that must never be interpreted as markup.
 */
(function () {
  'use strict';

  var REFRESH_MS = 30000;
  /* The report aggregates months of exams: refreshing it on every worklist poll would be wasted work. */
  var REPORT_REFRESH_EVERY = 10;
  var VENDORS = ['SIEMENS', 'GE', 'PHILIPS', 'CANON'];
  var VENDOR_LABELS = { SIEMENS: 'Siemens', GE: 'GE', PHILIPS: 'Philips', CANON: 'Canon' };
  var CARD_CLASSES = { FULL: 'card-full', ROUTINE: 'card-routine', PML_SHORT: 'card-pml' };
  var CARD_TITLES = {
    FULL: 'Standard OFSEP protocol (≤ 20 min)',
    ROUTINE: 'Follow-up without gadolinium (≤ 15 min)',
    PML_SHORT: 'PML screening, short protocol (≤ 10 min)'
  };
  var STATUS_LABELS = {
    SCHEDULED: 'Scheduled', STARTED: 'In progress', COMPLETED: 'Done',
    DISCONTINUED: 'Discontinued', CANCELED: 'Cancelled'
  };
  /* the order's priority, shown when it is urgent (no pill for ROUTINE or none: the usual case) */
  var PRIORITY_LABELS = { STAT: 'STAT', HIGH: 'Urgent' };
  /* where an OFSEP decision stands with the radiologist (no tag for AUTO) */
  var REVIEW_TAGS = { TO_REVIEW: 'awaiting radiologist', CONFIRMED: 'confirmed', OVERRIDDEN: 'overridden' };
  var RULE_LABELS = {
    DIAGNOSIS: 'Diagnosis (first MRI)',
    NO_COMPARABLE_PRIOR: 'No comparable prior MRI',
    NEW_DMT_BASELINE: 'New DMT baseline',
    DMT_REBASELINE: '6-month re-baseline after a new DMT',
    RELAPSE: 'Relapse',
    PML_SUSPICION: 'PML suspicion',
    INTERCURRENT: 'Intercurrent disease',
    PML_SCREENING: 'PML screening',
    ROUTINE_FOLLOW_UP: 'Routine follow-up',
    NOT_OFSEP: 'Not an MS order'
  };

  var state = {
    date: null,
    followToday: true,   // roll over to the new day when the board stays open past midnight
    station: '',
    reveal: false,
    expanded: {},        // spsId -> true; survives refreshes so a reader does not lose the detail open
    lastData: null,
    lastUpdate: null,
    timer: null,
    polls: 0,
    loading: null,
    reportFrom: null,
    reportTo: null,
    reportCustom: false
  };

  var $ = function (id) { return document.getElementById(id); };

  /* ---------- DOM helpers: text only ---------- */

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === 'class') { node.className = value; }
        else if (key === 'text') { node.textContent = String(value); }
        else if (key === 'hidden') { node.hidden = true; }
        else if (key === 'style') { node.style.cssText = String(value); } // CSSOM: allowed by the CSP (no inline style attributes)
        else { node.setAttribute(key, value === true ? '' : String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  /* ---------- dates (local calendar days, no time-zone arithmetic on strings) ---------- */

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function isoDay(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

  function parseDay(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  }

  function today() { return isoDay(new Date()); }

  function addDays(s, n) {
    var d = parseDay(s);
    d.setDate(d.getDate() + n);
    return isoDay(d);
  }

  /* Report default: the 12 months ending on the shown day (inclusive). */
  function twelveMonthsBefore(s) {
    var d = parseDay(s);
    d.setFullYear(d.getFullYear() - 1);
    d.setDate(d.getDate() + 1);
    return isoDay(d);
  }

  function longDay(s) {
    var d = parseDay(s);
    if (!d) { return s || ''; }
    try {
      return d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    } catch (e) {
      return s;
    }
  }

  function shortDay(s) {
    var d = parseDay(s);
    return d ? pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + '/' + d.getFullYear() : (s || '');
  }

  function clockTime(d) { return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }

  /* "2026-11-25T09:00:00" is the scheduled local time: read it as text, never through Date (no zone shift). */
  function scheduledTime(s) {
    var m = /T(\d{2}):(\d{2})/.exec(s || '');
    return m ? m[1] + ':' + m[2] : '--:--';
  }

  function fixed1(x) { return typeof x === 'number' && isFinite(x) ? x.toFixed(1) : '?'; }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  /* ---------- URL state, so a bookmark or a reload keeps the filters ---------- */

  function readUrl() {
    var q = new URLSearchParams(window.location.search);
    var d = q.get('date');
    if (parseDay(d)) {
      state.date = d;
      state.followToday = d === today();
    } else {
      state.date = today();
      state.followToday = true;
    }
    state.station = q.get('station') || '';
    state.reveal = q.get('reveal') === 'true';
  }

  function writeUrl() {
    var q = new URLSearchParams(window.location.search);
    q.set('date', state.date);
    if (state.station) { q.set('station', state.station); } else { q.delete('station'); }
    if (state.reveal) { q.set('reveal', 'true'); } else { q.delete('reveal'); }
    try {
      window.history.replaceState(null, '', window.location.pathname + '?' + q.toString());
    } catch (e) { /* file:// or sandboxed: the URL is a convenience only */ }
  }

  /* When the admin port is protected, the board may be opened with ?token=...; send it as a header. */
  function fetchJson(url, background) {
    var token = new URLSearchParams(window.location.search).get('token');
    var headers = { Accept: 'application/json' };
    if (token) { headers.Authorization = 'Bearer ' + token; }
    /* a periodic refresh does not keep a logged-in session alive (its idle timeout counts from the last action) */
    if (background) { headers['X-Background'] = '1'; }
    return fetch(url, { cache: 'no-store', headers: headers, credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) {
        return res.text().then(function (body) {
          throw new Error('HTTP ' + res.status + (body ? ': ' + body.trim().slice(0, 200) : ''));
        });
      }
      /* an unknown path may fall back to the page itself: say so rather than a JSON parse error */
      if ((res.headers.get('Content-Type') || '').indexOf('json') < 0) {
        throw new Error(url.split('?')[0] + ' did not answer JSON');
      }
      return res.json();
    });
  }

  /* ---------- loading ---------- */

  function worklistUrl() {
    var q = new URLSearchParams();
    q.set('date', state.date);
    if (state.station) { q.set('station', state.station); }
    if (state.reveal) { q.set('reveal', 'true'); }
    return 'api/worklist?' + q.toString();
  }

  function loadWorklist(background) {
    if (state.followToday && state.date !== today()) {
      state.date = today();
      $('date').value = state.date;
      if (!state.reportCustom) { setDefaultReportRange(); loadReport(background === true); }
    }
    writeUrl();
    var requested = worklistUrl();
    document.body.setAttribute('aria-busy', 'true');
    var run = fetchJson(requested, background === true).then(function (data) {
      if (requested !== worklistUrl()) { return; } // a newer request superseded this one
      state.lastData = data;
      state.lastUpdate = new Date();
      hideError();
      render(data);
    }, function (err) {
      if (requested !== worklistUrl()) { return; }
      showError('Could not load the worklist (' + err.message + ').'
        + (state.lastUpdate ? ' Showing the data of ' + clockTime(state.lastUpdate) + '.' : ''));
      if (state.lastData) { $('stations').classList.add('stale'); }
    }).then(function () {
      document.body.removeAttribute('aria-busy');
      renderStatus();
      if (state.loading === run) { state.loading = null; }
    });
    state.loading = run;
    return run;
  }

  function schedule() {
    if (state.timer) { clearTimeout(state.timer); }
    state.timer = setTimeout(function () {
      state.polls += 1;
      if (state.polls % REPORT_REFRESH_EVERY === 0) { loadReport(true); }
      loadWorklist(true).then(schedule);
    }, REFRESH_MS);
  }

  function reloadNow() {
    loadWorklist().then(schedule);
  }

  function showError(message) {
    var box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
    $('error').textContent = '';
    $('stations').classList.remove('stale');
  }

  function renderStatus() {
    var parts = [];
    if (state.lastUpdate) {
      parts.push(el('span', null, 'Last update ', el('time', {
        id: 'last-update', datetime: state.lastUpdate.toISOString(), text: clockTime(state.lastUpdate)
      })));
    } else {
      parts.push('Not loaded yet');
    }
    parts.push(' · refreshes every 30 s');
    if (state.lastData && state.lastData.generatedAt) {
      parts.push(' · gateway time ' + state.lastData.generatedAt.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC'));
    }
    var status = $('status');
    clear(status);
    append(status, parts);
  }

  /* ---------- worklist rendering ---------- */

  function render(data) {
    var stations = Array.isArray(data.stations) ? data.stations : [];
    var items = Array.isArray(data.items) ? data.items.slice() : [];
    items.sort(function (a, b) {
      return String(a.scheduledStart).localeCompare(String(b.scheduledStart))
        || String(a.spsId).localeCompare(String(b.spsId));
    });
    fillStationSelect(stations);
    $('worklist-date').textContent = longDay(data.date || state.date);
    renderSummary(items);

    var byStation = {};
    items.forEach(function (it) {
      (byStation[it.stationAeTitle] = byStation[it.stationAeTitle] || []).push(it);
    });
    var shown = stations.filter(function (s) { return !state.station || s.aeTitle === state.station; });
    // items for a station the gateway did not list (removed from the config since) are still shown
    Object.keys(byStation).forEach(function (ae) {
      if (!shown.some(function (s) { return s.aeTitle === ae; }) && (!state.station || ae === state.station)) {
        shown.push({ aeTitle: ae, name: byStation[ae][0].stationName || ae, vendor: null });
      }
    });

    var container = $('stations');
    clear(container);
    if (shown.length === 0) {
      container.appendChild(el('p', { class: 'empty', text: 'No station configured.' }));
    }
    shown.forEach(function (s) { container.appendChild(renderStation(s, byStation[s.aeTitle] || [])); });
  }

  function fillStationSelect(stations) {
    var select = $('station');
    var current = state.station;
    var wanted = [''].concat(stations.map(function (s) { return s.aeTitle; }));
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (wanted.join('\n') !== have.join('\n')) {
      clear(select);
      select.appendChild(el('option', { value: '', text: 'All stations' }));
      stations.forEach(function (s) {
        select.appendChild(el('option', { value: s.aeTitle, text: s.name + ' (' + s.aeTitle + ')' }));
      });
      if (current && wanted.indexOf(current) < 0) {
        select.appendChild(el('option', { value: current, text: current }));
      }
    }
    select.value = current;
  }

  function renderSummary(items) {
    var ofsep = items.filter(function (i) { return i.ofsep; });
    var gd = items.filter(function (i) { return i.contrast; }).length;
    var alerts = items.filter(function (i) { return i.alerts && i.alerts.length; }).length;
    var summary = $('summary');
    clear(summary);
    function stat(value, label, cls) {
      return el('li', { class: 'stat' + (cls ? ' ' + cls : '') },
        el('span', { class: 'stat-value', text: value }), el('span', { class: 'stat-label', text: label }));
    }
    append(summary, [
      stat(items.length, items.length === 1 ? 'exam' : 'exams'),
      stat(ofsep.length, 'OFSEP'),
      stat(gd, 'with Gd', gd ? 'stat-gd' : ''),
      stat(ofsep.length - ofsep.filter(function (i) { return i.contrast; }).length, 'OFSEP without Gd'),
      stat(alerts, alerts === 1 ? 'exam with alerts' : 'exams with alerts', alerts ? 'stat-alert' : '')
    ]);
  }

  function stationLabel(s) {
    var bits = [];
    if (s.vendor) { bits.push(VENDOR_LABELS[s.vendor] || s.vendor); }
    if (s.model) { bits.push(s.model); }
    if (typeof s.fieldStrengthTesla === 'number') { bits.push(s.fieldStrengthTesla.toFixed(1) + ' T'); }
    return bits.join(' · ');
  }

  function renderStation(s, items) {
    var headingId = 'st-' + cssId(s.aeTitle);
    var section = el('section', { class: 'station', 'aria-labelledby': headingId, 'data-station': s.aeTitle },
      el('header', { class: 'station-head' },
        el('h3', { id: headingId },
          el('span', { class: 'station-name', text: s.name || s.aeTitle }),
          el('span', { class: 'station-ae', text: s.aeTitle })),
        el('span', { class: 'station-meta', text: stationLabel(s) }),
        el('span', { class: 'station-count', text: plural(items.length, 'exam', 'exams') })));
    if (items.length === 0) {
      section.appendChild(el('p', { class: 'empty', text: 'No exam scheduled on ' + shortDay(state.date) + '.' }));
      return section;
    }
    var table = el('table', { class: 'items' },
      el('caption', { class: 'visually-hidden', text: 'Exams on ' + (s.name || s.aeTitle) }),
      /* fixed column widths so the stations' tables line up one under the other */
      el('colgroup', null, ['c-time', 'c-patient', 'c-acc', 'c-card', 'c-contrast', 'c-alerts', 'c-more']
        .map(function (c) { return el('col', { class: c }); })),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col', class: 'c-time', text: 'Time' }),
        el('th', { scope: 'col', class: 'c-patient', text: 'Patient' }),
        el('th', { scope: 'col', class: 'c-acc', text: 'Accession' }),
        el('th', { scope: 'col', class: 'c-card', text: 'Exam card' }),
        el('th', { scope: 'col', class: 'c-contrast', text: 'Contrast' }),
        el('th', { scope: 'col', class: 'c-alerts', text: 'Alerts' }),
        el('th', { scope: 'col', class: 'c-more' }, el('span', { class: 'visually-hidden', text: 'Details' })))));
    var tbody = el('tbody');
    items.forEach(function (it) {
      var rows = renderItem(it, s);
      tbody.appendChild(rows[0]);
      tbody.appendChild(rows[1]);
    });
    table.appendChild(tbody);
    section.appendChild(el('div', { class: 'table-wrap' }, table));
    return section;
  }

  /* DICOM PN "DUPRÉ^HÉLÈNE" (only sent with reveal=true) → "DUPRÉ Hélène" */
  function personName(pn) {
    var parts = String(pn).split('=')[0].split('^');
    var given = (parts[1] || '').toLowerCase().replace(/(^|[\s-])(\S)/g, function (m, sep, c) { return sep + c.toUpperCase(); });
    return [parts[0] || '', given].join(' ').trim();
  }

  function cssId(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, '_'); }

  function cardBadge(it) {
    if (!it.ofsep) { return el('span', { class: 'card card-none', title: 'Not an MS order', text: 'RIS' }); }
    if (!it.examCard) { return el('span', { class: 'card card-none', text: it.spine ? 'SPINE' : '—' }); }
    return el('span', { class: 'card ' + (CARD_CLASSES[it.examCard] || 'card-none'), title: CARD_TITLES[it.examCard] || '',
      text: it.examCard });
  }

  function contrastCell(it) {
    if (!it.ofsep) {
      return el('span', { class: 'gd gd-na', text: 'As ordered by the RIS' });
    }
    if (!it.contrast) {
      return el('span', { class: 'gd gd-none' }, el('span', { class: 'gd-label', text: 'No Gd' }),
        el('span', { class: 'gd-detail', text: it.contrastOptional ? 'optional, not injected' : 'sans gadolinium' }));
    }
    var dose = it.contrastDose;
    var detail;
    if (dose && typeof dose.ml === 'number') {
      detail = el('span', { class: 'gd-detail' },
        el('span', { class: 'gd-dose' }, el('span', { class: 'gd-agent', text: dose.agent }), ' ',
          el('strong', { class: 'gd-volume', text: fixed1(dose.ml) + ' mL' })),
        el('span', { class: 'gd-mmol', text: fixed1(dose.mmol) + ' mmol · 0.1 mmol/kg' }));
    } else {
      detail = el('span', { class: 'gd-detail gd-missing', text: it.contrastAgent || 'agent and dose not computed' });
    }
    return el('span', { class: 'gd gd-yes' },
      el('span', { class: 'gd-label', text: it.contrastOptional ? 'Gd (optional, injected)' : 'Gd' }), detail);
  }

  function alertsCell(it) {
    var alerts = Array.isArray(it.alerts) ? it.alerts : [];
    if (!alerts.length) { return el('span', { class: 'no-alert', text: '—' }); }
    return el('ul', { class: 'alerts', 'aria-label': plural(alerts.length, 'alert', 'alerts') },
      alerts.map(function (a) {
        return el('li', { class: 'alert' }, el('span', { class: 'alert-icon', 'aria-hidden': 'true', text: '⚠' }),
          el('span', { text: a }));
      }));
  }

  function renderItem(it, station) {
    var key = String(it.spsId);
    var detailId = 'detail-' + cssId(key);
    var open = !!state.expanded[key];
    var status = String(it.status || '');
    var hasAlerts = Array.isArray(it.alerts) && it.alerts.length > 0;
    var button = el('button', { type: 'button', class: 'btn btn-small toggle', 'aria-expanded': open ? 'true' : 'false',
      'aria-controls': detailId, text: open ? 'Hide' : 'Details',
      /* every row has the same button: name the exam so a screen reader user knows which one opens */
      'aria-label': 'Why this protocol: ' + scheduledTime(it.scheduledStart) + ', ' + (it.patientInitials || '')
        + ', ' + (it.accessionNumber || '') });
    var row = el('tr', { class: 'item' + (hasAlerts ? ' has-alerts' : '') + ' status-' + status.toLowerCase(),
      'data-sps-id': key },
      el('td', { class: 'c-time' },
        el('span', { class: 'time', text: scheduledTime(it.scheduledStart) }),
        el('span', { class: 'status-pill status-pill-' + status.toLowerCase(), text: STATUS_LABELS[status] || status }),
        PRIORITY_LABELS[it.priority] ? el('span', { class: 'priority-pill priority-pill-' + String(it.priority).toLowerCase(),
          title: 'Requested Procedure Priority: ' + it.priority, text: PRIORITY_LABELS[it.priority] }) : null),
      el('td', { class: 'c-patient' },
        el('span', { class: 'initials', text: it.patientInitials || '?' }),
        it.patientName ? el('span', { class: 'patient-name', text: personName(it.patientName) }) : null,
        el('span', { class: 'pid', text: it.patientId || '' })),
      el('td', { class: 'c-acc' },
        el('span', { class: 'acc', text: it.accessionNumber || '' }),
        el('span', { class: 'procedure', text: it.procedure || '' })),
      el('td', { class: 'c-card' }, cardBadge(it),
        it.spine ? el('span', { class: 'tag tag-spine', text: '+ spine' }) : null,
        REVIEW_TAGS[it.reviewState] ? el('span', { class: 'tag tag-review tag-review-' + String(it.reviewState).toLowerCase(),
          text: REVIEW_TAGS[it.reviewState] }) : null),
      el('td', { class: 'c-contrast' }, contrastCell(it)),
      el('td', { class: 'c-alerts' }, alertsCell(it)),
      el('td', { class: 'c-more' }, button));
    var detail = el('tr', { class: 'detail', id: detailId, 'data-detail-for': key, hidden: !open },
      el('td', { colspan: '7' }, renderDetail(it, station)));
    button.addEventListener('click', function () { toggle(key, button, detail); });
    return [row, detail];
  }

  function toggle(key, button, detail, force) {
    var open = force === undefined ? detail.hidden : force;
    detail.hidden = !open;
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.textContent = open ? 'Hide' : 'Details';
    if (open) { state.expanded[key] = true; } else { delete state.expanded[key]; }
  }

  function renderDetail(it, station) {
    var reasons = Array.isArray(it.reasons) ? it.reasons : [];
    var advice = [];
    if (it.spine) { advice.push('Spinal cord card included (sagittal T2' + (it.contrast ? ', sagittal T1 after Gd' : '') + ').'); }
    if (it.spineDue) { advice.push('Spine MRI due: the last spinal cord MRI is over 3 years old or unknown (advisory).'); }
    if (it.contrastOptional) { advice.push('Gadolinium is optional in this situation; the site policy decided.'); }
    if (typeof it.nextMriMonths === 'number') {
      advice.push('Next MRI advised in ' + plural(it.nextMriMonths, 'month', 'months') + '.');
    }
    var optional = Array.isArray(it.optionalSequences) ? it.optionalSequences : [];

    var decision = el('div', { class: 'detail-decision' },
      el('h4', { text: 'Why this protocol' }),
      el('dl', { class: 'facts' },
        el('div', null, el('dt', { text: 'Rule' }),
          el('dd', null, el('code', { class: 'rule', text: it.rule || '—' }),
            RULE_LABELS[it.rule] ? ' ' + RULE_LABELS[it.rule] : '')),
        it.spsDescription ? el('div', null, el('dt', { text: 'Step description' }),
          el('dd', { class: 'sps-desc', text: it.spsDescription })) : null,
        it.contrastAgent ? el('div', null, el('dt', { text: 'Contrast agent' }),
          el('dd', { class: 'agent-text', text: it.contrastAgent })) : null,
        it.priors ? el('div', null, el('dt', { text: 'Priors' }),
          el('dd', { class: 'priors-text', text: it.priors })) : null),
      renderFacts(it),
      reasons.length
        ? el('ol', { class: 'reasons' }, reasons.map(function (r) { return el('li', { text: r }); }))
        : el('p', { class: 'muted', text: 'No reason recorded.' }),
      optional.length ? el('p', { class: 'optional' }, el('strong', { text: 'Optional sequences suggested: ' }),
        optional.join(', ')) : null,
      advice.length ? el('ul', { class: 'advice' }, advice.map(function (a) { return el('li', { text: a }); })) : null);

    return el('div', { class: 'detail-grid' }, decision, renderCodes(it, station));
  }

  /* the clinical facts the decision read from the order, each with the HL7 field and the words it came from */
  function renderFacts(it) {
    var facts = Array.isArray(it.facts) ? it.facts : [];
    if (!facts.length) { return null; }
    return el('div', { class: 'detail-facts' },
      el('h5', { text: 'Facts read from the order' }),
      el('table', { class: 'order-facts' },
        el('thead', null, el('tr', null,
          el('th', { scope: 'col', text: 'Fact' }), el('th', { scope: 'col', text: 'Value' }),
          el('th', { scope: 'col', text: 'Source' }), el('th', { scope: 'col', text: 'Written as' }))),
        el('tbody', null, facts.map(function (f) {
          return el('tr', { 'data-fact': f.name || '' },
            el('th', { scope: 'row', class: 'fact-name', text: f.label || f.name || '' }),
            el('td', { class: 'fact-value', text: f.value || '' }),
            el('td', { class: 'fact-source' }, el('code', { text: f.source || '' })),
            el('td', { class: 'fact-text', text: f.text ? '\u201C' + f.text + '\u201D' : '\u2014' }));
        }))));
  }

  function renderCodes(it, station) {
    var codes = it.codes || {};
    var vendors = VENDORS.concat(Object.keys(codes).filter(function (v) { return VENDORS.indexOf(v) < 0; }));
    var tbody = el('tbody');
    vendors.forEach(function (v) {
      var list = Array.isArray(codes[v]) ? codes[v] : [];
      var mine = station && station.vendor === v;
      if (!list.length) {
        tbody.appendChild(el('tr', { 'data-vendor': v, class: mine ? 'this-vendor' : null },
          el('th', { scope: 'row', text: VENDOR_LABELS[v] || v }),
          el('td', { colspan: '3', class: 'muted', text: 'no code' })));
        return;
      }
      list.forEach(function (c, i) {
        var tr = el('tr', { 'data-vendor': v, class: (mine ? 'this-vendor' : '') + (i === 0 ? ' first' : '') },
          i === 0 ? el('th', { scope: 'row', rowspan: String(list.length) },
            VENDOR_LABELS[v] || v, mine ? el('span', { class: 'this-station', text: 'this station' }) : null) : null,
          el('td', { class: 'code-value' }, el('code', { text: c.value || '' })),
          el('td', { class: 'code-scheme', text: c.scheme || '' }),
          el('td', { class: 'code-meaning', text: c.meaning || '' }));
        tbody.appendChild(tr);
      });
    });
    return el('div', { class: 'detail-codes' },
      el('h4', { text: 'Protocol code each console receives' }),
      el('p', { class: 'muted small', text: 'Scheduled Protocol Code Sequence (0040,0008), in the order sent.' }),
      el('table', { class: 'codes' },
        el('thead', null, el('tr', null,
          el('th', { scope: 'col', text: 'Vendor' }), el('th', { scope: 'col', text: 'Code value' }),
          el('th', { scope: 'col', text: 'Scheme' }), el('th', { scope: 'col', text: 'Meaning' }))),
        tbody));
  }

  function setAll(open) {
    var rows = document.querySelectorAll('#stations tr.detail');
    Array.prototype.forEach.call(rows, function (detail) {
      var key = detail.getAttribute('data-detail-for');
      var button = document.querySelector('#stations button[aria-controls="' + detail.id + '"]');
      if (button) { toggle(key, button, detail, open); }
    });
  }

  /* ---------- gadolinium report ---------- */

  function setDefaultReportRange() {
    state.reportTo = state.date;
    state.reportFrom = twelveMonthsBefore(state.date);
    $('report-from').value = state.reportFrom;
    $('report-to').value = state.reportTo;
  }

  function loadReport(background) {
    var from = state.reportFrom;
    var to = state.reportTo;
    var body = $('report-body');
    if (!parseDay(from) || !parseDay(to) || from > to) {
      clear(body);
      body.appendChild(el('p', { class: 'error-inline', role: 'alert', text: 'Choose a start date on or before the end date.' }));
      return Promise.resolve();
    }
    var q = new URLSearchParams();
    q.set('from', from);
    q.set('to', to);
    var url = 'api/report/gd?' + q.toString();
    state.reportUrl = url;
    return fetchJson(url, background === true).then(function (r) {
      if (state.reportUrl === url) { renderReport(r); }
    }, function (err) {
      if (state.reportUrl !== url) { return; }
      clear(body);
      body.appendChild(el('p', { class: 'error-inline', role: 'alert', text: 'Could not load the report (' + err.message + ').' }));
    });
  }

  function num(x) { return typeof x === 'number' && isFinite(x) ? x : 0; }

  function renderReport(r) {
    var body = $('report-body');
    clear(body);
    var given = num(r.injectionsGiven);
    var avoided = num(r.injectionsAvoided);
    var former = num(r.formerPracticeInjections);
    var exams = num(r.exams);
    var cut = former > 0 ? Math.round(100 * (former - given) / former) : 0;

    body.appendChild(el('p', { class: 'report-period', text: shortDay(r.from) + ' → ' + shortDay(r.to) }));
    body.appendChild(el('ul', { class: 'kpis' },
      kpi('kpi-exams', exams, 'exams'),
      kpi('kpi-given', given, 'Gd injections given'),
      kpi('kpi-avoided', avoided, 'injections avoided', 'good'),
      kpi('kpi-mmol', fixed1(num(r.totalGdMmol)), 'mmol Gd in total')));

    var pctGiven = former > 0 ? Math.min(100, 100 * given / former) : 0;
    body.appendChild(el('div', { class: 'compare' },
      el('h3', { text: 'Compared with the former practice' }),
      el('p', { class: 'small' }, 'An annual Gd-enhanced MRI for every follow-up would have meant ',
        el('strong', { text: String(former) }), ' injections; ',
        el('strong', { text: String(given) }), ' were given',
        former > 0 ? el('span', null, ' (', el('strong', { class: 'good', text: '−' + cut + ' %' }), ')') : null, '.'),
      el('div', { class: 'bar', role: 'img',
        'aria-label': given + ' injections given out of ' + former + ' with the former practice' },
        el('span', { class: 'bar-fill bar-given', style: 'width:' + pctGiven.toFixed(1) + '%' })),
      el('p', { class: 'bar-legend small' },
        el('span', { class: 'swatch swatch-given', 'aria-hidden': 'true' }), ' given ',
        el('span', { class: 'swatch swatch-avoided', 'aria-hidden': 'true' }), ' avoided')));

    var byCard = r.byCard || {};
    var total = Object.keys(byCard).reduce(function (s, k) { return s + num(byCard[k]); }, 0);
    var cards = el('table', { class: 'by-card' },
      el('caption', { text: 'Exams by card' }),
      el('tbody', null, ['FULL', 'ROUTINE', 'PML_SHORT'].map(function (c) {
        var n = num(byCard[c]);
        var pct = total ? 100 * n / total : 0;
        return el('tr', { 'data-card': c },
          el('th', { scope: 'row' }, el('span', { class: 'card ' + CARD_CLASSES[c], text: c })),
          el('td', { class: 'by-card-bar' }, el('span', { class: 'mini-bar' },
            el('span', { class: 'mini-fill ' + CARD_CLASSES[c], style: 'width:' + pct.toFixed(1) + '%' }))),
          el('td', { class: 'num', text: String(n) }),
          el('td', { class: 'num muted pct', text: Math.round(pct) + '\u00a0%' }));
      })));
    body.appendChild(cards);

    var top = Array.isArray(r.topPatients) ? r.topPatients : [];
    body.appendChild(el('table', { class: 'top-patients' },
      el('caption', { text: 'Patients with the most injections' }),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col', text: 'Patient' }),
        el('th', { scope: 'col', class: 'num', text: 'Injections' }),
        el('th', { scope: 'col', class: 'num', text: 'Gd (mmol)' }))),
      el('tbody', null, top.length ? top.map(function (p) {
        return el('tr', null, el('td', null, el('span', { class: 'pid', text: p.patient })),
          el('td', { class: 'num', text: String(num(p.injections)) }),
          el('td', { class: 'num', text: fixed1(num(p.mmol)) }));
      }) : el('tr', null, el('td', { colspan: '3', class: 'muted', text: 'No injection in this period.' })))));
  }

  function kpi(id, value, label, cls) {
    return el('li', { class: 'kpi' + (cls ? ' ' + cls : ''), id: id },
      el('span', { class: 'kpi-value', text: String(value) }), el('span', { class: 'kpi-label', text: label }));
  }

  /* ---------- wiring ---------- */

  function setDate(d) {
    if (!parseDay(d)) { return; }
    state.date = d;
    state.followToday = d === today();
    $('date').value = d;
    if (!state.reportCustom) { setDefaultReportRange(); loadReport(); }
    reloadNow();
  }

  function init() {
    readUrl();
    $('date').value = state.date;
    $('reveal').checked = state.reveal;
    if (state.station) { fillStationSelect([]); }
    setDefaultReportRange();

    $('filters').addEventListener('submit', function (e) { e.preventDefault(); reloadNow(); loadReport(); });
    $('date').addEventListener('change', function () { setDate($('date').value); });
    $('prev-day').addEventListener('click', function () { setDate(addDays(state.date, -1)); });
    $('next-day').addEventListener('click', function () { setDate(addDays(state.date, 1)); });
    $('today').addEventListener('click', function () { setDate(today()); });
    $('station').addEventListener('change', function () { state.station = $('station').value; reloadNow(); });
    $('reveal').addEventListener('change', function () { state.reveal = $('reveal').checked; reloadNow(); });
    $('print').addEventListener('click', function () { window.print(); });
    $('expand-all').addEventListener('click', function () { setAll(true); });
    $('collapse-all').addEventListener('click', function () { setAll(false); });

    function reportInputChanged() {
      state.reportFrom = $('report-from').value;
      state.reportTo = $('report-to').value;
      state.reportCustom = true;
      loadReport();
    }
    $('report-from').addEventListener('change', reportInputChanged);
    $('report-to').addEventListener('change', reportInputChanged);
    $('report-range').addEventListener('submit', function (e) { e.preventDefault(); reportInputChanged(); });
    $('report-12m').addEventListener('click', function () {
      state.reportCustom = false;
      setDefaultReportRange();
      loadReport();
    });
    renderStatus();
    loadReport();
    reloadNow();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
