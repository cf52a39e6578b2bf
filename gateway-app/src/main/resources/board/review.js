/*
 * MWL Gateway board: log in, the "To review" list (CONFIRM / OVERRIDE / NOTE) and the audit trail.
 *
 * Plain browser JavaScript served from the jar. Every value from the gateway is written with textContent.
 * Changes are POSTed as JSON with the session's CSRF token in the X-CSRF-Token header; the session itself is an
 * HttpOnly cookie this script never sees.
 */
(function () {
  'use strict';

  var CARDS = ['FULL', 'ROUTINE', 'PML_SHORT'];
  var SEQUENCES = ['2D PD/T2 or 3D T2', 'DTI >= 15 directions', '2D T2* GRE', 'SWI', '3D DIR'];
  /* each card's optional sequences as the gateway's mapping names them (GET api/review), or null */
  var cardSequences = null;
  var STATE_LABELS = { TO_REVIEW: 'To review', CONFIRMED: 'Confirmed', OVERRIDDEN: 'Overridden', AUTO: 'Automatic' };
  var REFRESH_MS = 30000;

  var me = { user: null, role: null, csrf: null };
  var timer = null;
  /* the version of each step as the person last loaded it (a load they asked for, not a periodic refresh): what
     their CONFIRM or OVERRIDE names, so that a colleague's change in between gets the gateway's 409 "reload", never
     a silent replacement (a 30-second refresh used to hand the newest version to the next click) */
  var seen = {};
  function key(it) { return (it.spsId || '') + '|' + (it.accessionNumber || ''); }

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === 'class') { node.className = value; }
        else if (key === 'text') { node.textContent = String(value); }
        else { node.setAttribute(key, value === true ? '' : String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { add(node, arguments[i]); }
    return node;
  }

  function add(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function day() { return $('date').value; }

  function time(s) {
    var m = /T(\d{2}):(\d{2})/.exec(s || '');
    return m ? m[1] + ':' + m[2] : '--:--';
  }

  function stamp(s) {
    if (!s) { return ''; }
    var d = new Date(s);
    if (isNaN(d.getTime())) { return s; }
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':'
      + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }

  /* JSON in and out; an error answer becomes an Error with the gateway's message. */
  /* background: a periodic refresh, which must not keep the session alive (the idle timeout counts from the
     person's last action) */
  function api(method, url, body, background) {
    var headers = { Accept: 'application/json' };
    if (background) { headers['X-Background'] = '1'; }
    var init = { method: method, cache: 'no-store', credentials: 'same-origin', headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      if (me.csrf) { headers['X-CSRF-Token'] = me.csrf; }
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!res.ok) {
          var err = new Error((json && json.error) || ('HTTP ' + res.status));
          err.status = res.status;
          throw err;
        }
        return json;
      });
    });
  }

  /* ---------- session ---------- */

  function setUser(json) {
    me.user = json && json.user ? json.user : null;
    me.role = json && json.role ? json.role : null;
    me.csrf = json && json.csrfToken ? json.csrfToken : null;
    var who = $('account-user');
    if (me.user) {
      who.textContent = me.user + ' · ' + me.role;
      who.hidden = false;
      $('logout').hidden = false;
      $('show-login').hidden = true;
      $('login-panel').hidden = true;
    } else {
      who.hidden = true;
      who.textContent = '';
      $('logout').hidden = true;
      $('show-login').hidden = false;
    }
    $('review').hidden = !me.user;
    $('audit').hidden = !(me.role === 'radiologist' || me.role === 'admin');
    document.body.setAttribute('data-role', me.role || 'none');
    loadAll();
  }

  function loadSession() {
    return api('GET', 'api/session').then(setUser, function () { setUser(null); });
  }

  function login(e) {
    e.preventDefault();
    var error = $('login-error');
    error.hidden = true;
    api('POST', 'api/login', { user: $('login-user').value, password: $('login-password').value }).then(function (json) {
      $('login-password').value = '';
      setUser(json);
    }, function (err) {
      $('login-password').value = '';
      error.textContent = err.message;
      error.hidden = false;
    });
  }

  function logout() {
    api('POST', 'api/logout', {}).then(function () { setUser(null); }, function () { setUser(null); });
  }

  /* ---------- the review list ---------- */

  function loadAll(background) {
    if (timer) { clearTimeout(timer); }
    if (!me.user) { return; }
    loadReview(background === true);
    if (!$('audit').hidden) { loadAudit(background === true); }
    timer = setTimeout(function () { loadAll(true); }, REFRESH_MS);
  }

  /* a person is writing on the list (an override form open, a reason or a note typed, a field focused): a periodic
     refresh does not re-render it, which closed the form and emptied what was typed */
  function editing() {
    var list = $('review-list');
    if (list.contains(document.activeElement) && document.activeElement !== list) { return true; }
    if (list.querySelector('.override-form:not([hidden])')) { return true; }
    return Array.prototype.some.call(list.querySelectorAll('input[type=text], textarea'), function (f) {
      return f.value.trim() !== '';
    });
  }

  /* background: a periodic refresh; acted: the key of the step the person just acted on (the reload after an
     action takes that step's new version, not the others': a colleague's change elsewhere stays marked) */
  function loadReview(background, acted) {
    var q = new URLSearchParams();
    q.set('date', day());
    if ($('station').value) { q.set('station', $('station').value); }
    var url = 'api/review?' + q.toString();
    return api('GET', url, undefined, background).then(function (data) {
      if (background && editing()) { return; }
      renderReview(data, background, acted);
    }, function (err) {
      if (err.status === 401) { setUser(null); return; }
      message('Could not load the review list (' + err.message + ').', true);
    });
  }

  function message(text, isError) {
    var box = $('review-message');
    box.textContent = text;
    box.className = 'review-message' + (isError ? ' error-inline' : ' ok-inline');
    box.setAttribute('role', isError ? 'alert' : 'status');
    box.hidden = !text;
  }

  function renderReview(data, background, acted) {
    var list = $('review-list');
    clear(list);
    var items = (data && data.items) || [];
    cardSequences = (data && data.optionalSequences) || cardSequences;
    var open = items.filter(function (i) { return i.reviewState === 'TO_REVIEW'; }).length;
    $('review-title').textContent = 'To review' + (open ? ' (' + open + ')' : '');
    if (!items.length) {
      list.appendChild(el('p', { class: 'muted empty-review', text: 'Nothing to review on this day.' }));
      return;
    }
    items.forEach(function (it) {
      var k = key(it);
      if (seen[k] === undefined || (!background && (acted === undefined || acted === k))) { seen[k] = it.version; }
      list.appendChild(renderCard(it));
    });
  }

  function gdText(card, contrast, dose) {
    return (card || 'spine') + (contrast ? ' with Gd' : ' without Gd')
      + (contrast && dose && typeof dose.ml === 'number' ? ' (' + dose.agent + ' ' + dose.ml.toFixed(1) + ' mL)' : '');
  }

  /* who reviewed and when; back TO_REVIEW after an automatic change, the review it had was before the change ("To
     review by dr.martin" read as if she had not confirmed it) */
  function reviewedText(it) {
    return (it.reviewState === 'TO_REVIEW' ? 'Reviewed' : (STATE_LABELS[it.reviewState] || it.reviewState))
      + ' by ' + it.reviewedBy + ' at ' + stamp(it.reviewedAt)
      + (it.reviewState === 'TO_REVIEW' ? ', before the automatic decision changed' : '')
      + (it.reviewReason ? ': ' + it.reviewReason : '');
  }

  function renderCard(it) {
    var p = it.proposed || {};
    var acc = it.accessionNumber || '';
    var loaded = seen[key(it)] === undefined ? it.version : seen[key(it)];
    var changed = loaded !== it.version;
    var card = el('article', { class: 'review-item state-' + String(it.reviewState).toLowerCase()
        + (changed ? ' changed-since' : ''),
      'data-accession': acc, 'data-version': String(loaded), 'data-state': it.reviewState },
      el('header', { class: 'review-item-head' },
        el('span', { class: 'time', text: time(it.scheduledStart) }),
        el('span', { class: 'initials', text: it.patientInitials || '?' }),
        el('span', { class: 'pid', text: it.patientId || '' }),
        el('span', { class: 'acc', text: acc }),
        it.procedure ? el('span', { class: 'procedure', text: it.procedure }) : null,
        el('span', { class: 'station', text: it.stationAeTitle || '' }),
        el('span', { class: 'review-state', text: STATE_LABELS[it.reviewState] || it.reviewState })),
      el('dl', { class: 'facts' },
        el('div', null, el('dt', { text: 'Rules decided' }),
          el('dd', { class: 'proposed', text: gdText(p.examCard, p.contrast, p.contrastDose)
            + (p.spine && p.examCard ? ' + spine' : '') })),
        el('div', null, el('dt', { text: 'Console receives' }),
          el('dd', { class: 'published', text: (it.spsDescription || '') })),
        el('div', null, el('dt', { text: 'Rule' }), el('dd', null, el('code', { class: 'rule', text: p.rule || '' }))),
        it.reviewedBy ? el('div', null, el('dt', { text: 'Reviewed' }),
          el('dd', { class: 'reviewed', text: reviewedText(it) })) : null),
      el('div', { class: 'why' }, el('h4', { text: 'Why a radiologist' }),
        el('ul', null, (it.reviewWhy || []).map(function (w) { return el('li', { text: w }); }))),
      (p.alerts || []).length ? el('ul', { class: 'alerts' }, p.alerts.map(function (a) {
        return el('li', { class: 'alert' }, el('span', { class: 'alert-icon', 'aria-hidden': 'true', text: '⚠' }),
          el('span', { text: a }));
      })) : null,
      (p.facts || []).length ? el('div', { class: 'order-facts' }, el('h4', { text: 'Facts and their sources' }),
        el('ul', null, p.facts.map(function (f) { return el('li', { text: f.description }); }))) : null,
      el('details', { class: 'facts-sources' }, el('summary', { text: 'Why the rules decided so' }),
        el('ol', { class: 'reasons' }, (p.reasons || []).map(function (r) { return el('li', { text: r }); }))),
      it.note ? el('p', { class: 'note' }, el('strong', { text: 'Notes: ' }), it.note) : null,
      changed ? el('p', { class: 'changed-note', role: 'status', text: 'Changed since you loaded it (now '
        + (STATE_LABELS[it.reviewState] || it.reviewState)
        + (it.reviewedBy && it.reviewState !== 'TO_REVIEW' ? ' by ' + it.reviewedBy : '')
        + '): press Refresh before you act on it.' }) : null,
      actions(it, loaded));
    return card;
  }

  function actions(it, loaded) {
    var box = el('div', { class: 'review-actions' });
    if (it.status && it.status !== 'SCHEDULED') {
      box.appendChild(el('p', { class: 'muted', text: 'The exam has started: the decision can no longer change.' }));
      return box;
    }
    if (me.role === 'radiologist') {
      var confirm = el('button', { type: 'button', class: 'btn btn-primary confirm', text: 'CONFIRM',
        'aria-label': 'Confirm the rules\u2019 decision for ' + it.accessionNumber });
      var override = el('button', { type: 'button', class: 'btn override', text: 'OVERRIDE',
        'aria-label': 'Override the decision for ' + it.accessionNumber });
      var reason = el('input', { type: 'text', class: 'confirm-reason', maxlength: '2000',
        placeholder: 'Reason (optional for a confirmation)', 'aria-label': 'Reason for ' + it.accessionNumber });
      var form = overrideForm(it, loaded);
      confirm.addEventListener('click', function () {
        send(it, { action: 'CONFIRM', reason: reason.value || null, version: loaded });
      });
      override.addEventListener('click', function () { form.hidden = !form.hidden; });
      box.appendChild(el('div', { class: 'action-row' }, confirm, reason, override));
      box.appendChild(form);
    } else {
      box.appendChild(el('p', { class: 'muted', text: 'Only a radiologist may confirm or override.' }));
    }
    var note = el('input', { type: 'text', class: 'note-text', maxlength: '2000', placeholder: 'Add a note',
      'aria-label': 'Note for ' + it.accessionNumber });
    var noteButton = el('button', { type: 'button', class: 'btn btn-small add-note', text: 'Add note' });
    noteButton.addEventListener('click', function () {
      send(it, { action: 'NOTE', reason: note.value });
    });
    box.appendChild(el('div', { class: 'action-row' }, note, noteButton));
    return box;
  }

  function overrideForm(it, loaded) {
    var p = it.proposed || {};
    var name = 'o-' + String(it.spsId || it.accessionNumber).replace(/[^A-Za-z0-9_-]/g, '_');
    /* a spinal cord MRI stays one: its only card is the spine's (a brain card added an exam nobody ordered) */
    var spineOnly = !p.examCard;
    var cardSelect = el('select', { class: 'o-card', id: name + '-card' }, spineOnly
      ? [el('option', { value: '', text: 'SPINE', selected: true })]
      : CARDS.map(function (c) { return el('option', { value: c, text: c, selected: c === p.examCard }); }));
    var gdYes = el('input', { type: 'radio', name: name + '-gd', value: 'yes', class: 'o-gd-yes', id: name + '-gd-yes',
      checked: !!p.contrast });
    var gdNo = el('input', { type: 'radio', name: name + '-gd', value: 'no', class: 'o-gd-no', id: name + '-gd-no',
      checked: !p.contrast });
    var chosen = p.optionalSequences || [];
    var seqs = SEQUENCES.map(function (s, i) {
      var id = name + '-seq-' + i;
      return el('label', { class: 'o-seq', for: id },
        el('input', { type: 'checkbox', id: id, value: s, checked: chosen.indexOf(s) >= 0 }), ' ' + s);
    });
    /* only the chosen card's optional sequences are offered; the others are hidden and unchecked */
    function syncSequences() {
      var allowed = cardSequences && cardSequences[cardSelect.value || 'SPINE'];
      seqs.forEach(function (label, i) {
        var ok = !allowed || allowed.indexOf(SEQUENCES[i]) >= 0;
        label.hidden = !ok;
        if (!ok) { label.querySelector('input').checked = false; }
      });
    }
    cardSelect.addEventListener('change', syncSequences);
    syncSequences();
    var reason = el('textarea', { class: 'o-reason', id: name + '-reason', rows: '2', maxlength: '2000', 'aria-required': 'true' });
    var submit = el('button', { type: 'submit', class: 'btn btn-primary o-submit', text: 'Apply override' });
    var form = el('form', { class: 'override-form', hidden: true },
      el('div', { class: 'field' }, el('label', { for: name + '-card', text: 'Card' }), cardSelect),
      el('fieldset', { class: 'field' }, el('legend', { text: 'Gadolinium' }),
        el('label', { for: name + '-gd-yes' }, gdYes, ' Gd'), el('label', { for: name + '-gd-no' }, gdNo, ' no Gd')),
      el('fieldset', { class: 'field seqs' }, el('legend', { text: 'Optional sequences' }), seqs),
      el('div', { class: 'field' }, el('label', { for: name + '-reason', text: 'Reason (required)' }), reason),
      submit);
    form.hidden = true;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!reason.value.trim()) { message('An override needs a reason.', true); reason.focus(); return; }
      var sequences = [];
      /* only the chosen card's optional sequences (the gateway refuses others) */
      var allowed = cardSequences && cardSequences[cardSelect.value || 'SPINE'];
      Array.prototype.forEach.call(form.querySelectorAll('.o-seq input:checked'), function (c) {
        if (!allowed || allowed.indexOf(c.value) >= 0) { sequences.push(c.value); }
      });
      send(it, { action: 'OVERRIDE', examCard: cardSelect.value || null, contrast: gdYes.checked,
        optionalSequences: sequences, reason: reason.value, version: loaded });
    });
    return form;
  }

  function send(it, body) {
    message('', false);
    /* the step itself: an accession with several steps (brain and spine) was refused without it */
    body.spsId = it.spsId || null;
    return api('POST', 'api/review/' + encodeURIComponent(it.accessionNumber), body).then(function (done) {
      message(it.accessionNumber + ': ' + (body.action === 'NOTE' ? 'note added'
        : (STATE_LABELS[done.reviewState] || done.reviewState).toLowerCase() + ' — the console receives “'
          + (done.spsDescription || '') + '”'), false);
      loadReview(false, key(it));
      if (!$('audit').hidden) { loadAudit(); }
      var refresh = $('refresh');
      if (refresh) { refresh.click(); }
    }, function (err) {
      if (err.status === 401) { setUser(null); }
      message(it.accessionNumber + ': ' + err.message, true);
      loadReview(false, key(it));
    });
  }

  /* ---------- audit ---------- */

  function loadAudit(background) {
    var q = new URLSearchParams();
    q.set('from', day());
    q.set('to', day());
    return api('GET', 'api/audit?' + q.toString(), undefined, background).then(renderAudit, function (err) {
      var body = $('audit-body');
      clear(body);
      body.appendChild(el('p', { class: 'error-inline', role: 'alert', text: 'Could not load the audit trail (' + err.message + ').' }));
    });
  }

  function change(e) {
    if (!e.before && !e.after) { return e.detail || ''; }
    var f = function (d) { return d ? (d.examCard || 'spine') + (d.contrast ? ' + Gd' : ' no Gd') + ' (' + d.state + ')' : '—'; };
    return f(e.before) + ' → ' + f(e.after);
  }

  function renderAudit(data) {
    var body = $('audit-body');
    clear(body);
    var events = (data && data.events) || [];
    if (!events.length) {
      body.appendChild(el('p', { class: 'muted', text: 'No event on this day.' }));
      return;
    }
    body.appendChild(el('table', { class: 'audit-table' },
      el('thead', null, el('tr', null, ['When', 'User', 'Action', 'From', 'Accession', 'Change', 'Reason'].map(function (h) {
        return el('th', { scope: 'col', text: h });
      }))),
      el('tbody', null, events.slice().reverse().map(function (e) {
        return el('tr', { 'data-action': e.action },
          el('td', { class: 'a-at', text: stamp(e.at) }), el('td', { class: 'a-user', text: e.user }),
          el('td', { class: 'a-action', text: e.action }), el('td', { class: 'a-from', text: e.address || '' }),
          el('td', { class: 'a-acc', text: e.accessionNumber || '' }), el('td', { class: 'a-change', text: change(e) }),
          /* an automatic change has no person's reason: its detail says what the rules decide now (REDECIDED showed
             "FULL + Gd (CONFIRMED) → FULL + Gd (TO_REVIEW)", the console's side only, and an empty reason); an
             event without before and after already shows its detail as the change */
          el('td', { class: 'a-reason', text: e.reason || (e.before || e.after ? e.detail || '' : '') }));
      }))));
  }

  /* ---------- wiring ---------- */

  function init() {
    $('login-form').addEventListener('submit', login);
    $('show-login').addEventListener('click', function () {
      $('login-panel').hidden = false;
      $('login-user').focus();
    });
    $('logout').addEventListener('click', logout);
    $('audit-refresh').addEventListener('click', loadAudit);
    ['date', 'station'].forEach(function (id) {
      $(id).addEventListener('change', function () { setTimeout(loadAll, 0); });
    });
    ['prev-day', 'next-day', 'today'].forEach(function (id) {
      $(id).addEventListener('click', function () { setTimeout(loadAll, 0); });
    });
    loadSession();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
