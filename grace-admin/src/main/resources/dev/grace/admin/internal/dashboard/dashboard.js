// Grace dashboard: reads the admin API of the runtime that served this page and redraws every
// `refresh` seconds (?refresh=N, default 10). No libraries: it must work offline.
'use strict';

const REFRESH_SECONDS = Math.max(1, Number(new URLSearchParams(location.search).get('refresh')) || 10);

async function get(path) {
  try {
    const response = await fetch(path, { cache: 'no-store' });
    const body = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: { error: 'the runtime does not answer (' + e.message + ')' } };
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return node;
}

function fmt(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (Math.abs(v) >= 1000 || Number.isInteger(v)) return Number(v).toLocaleString('en');
  return Number(v).toPrecision(digits);
}

function setScore(name, value) {
  document.getElementById('overall-' + name).textContent = value == null ? '–' : fmt(value, 2);
  document.getElementById('overall-' + name + '-bar').style.width = value == null ? '0' : Math.round(value * 100) + '%';
}

function sparkline(points) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 100 20');
  svg.setAttribute('preserveAspectRatio', 'none');
  const values = points.map(p => p.mean).filter(v => v !== null);
  if (values.length === 0) return svg;
  const min = Math.min(...values), max = Math.max(...values), span = max - min || 1;
  // one hour so far is drawn as a level line, so that it shows at all
  const drawn = points.length === 1 ? [points[0], points[0]] : points;
  const step = 100 / (drawn.length - 1);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', drawn.map((p, i) =>
    (i * step).toFixed(1) + ',' + (18 - ((p.mean - min) / span) * 16).toFixed(1)).join(' '));
  svg.append(line);
  svg.setAttribute('data-points', String(points.length));
  return svg;
}

// The attribute key each KPI is drilled down by ('domain/kpi' -> key), kept across redraws.
const drill = new Map();

// One row per value of the chosen key in the latest hour of /api/rollups?by=KEY: count and p95, the
// overflow series last, named for what it is.
function seriesTable(k, key, answer) {
  if (!answer.ok) {
    return el('p', { class: 'series muted' }, answer.body && answer.body.detail ? answer.body.detail : 'HTTP ' + answer.status);
  }
  const rows = answer.body.rollups;
  const latest = rows.reduce((m, r) => (m === null || r.start > m ? r.start : m), null);
  const hour = rows.filter(r => r.start === latest);
  if (hour.length === 0) return el('p', { class: 'series muted' }, 'no series with ' + key + ' in the last hour');
  hour.sort((a, b) => (a.series === '_overflow') - (b.series === '_overflow') || b.count - a.count);
  return el('table', { class: 'series', 'data-by': key, title: 'hour ' + latest + ' (' + answer.body.source + ')' },
    el('thead', {}, el('tr', {}, el('th', {}, key), el('th', {}, 'count'), el('th', {}, 'p95'))),
    el('tbody', {}, ...hour.map(r => el('tr', { 'data-series': r.series, class: r.series === '_overflow' ? 'overflow' : '' },
      el('td', { class: 'value' }, r.series === '_overflow' ? 'overflow (past ' + k.maxSeries + ' series)' : r.attributes[key]),
      el('td', { class: 'count' }, fmt(r.count)),
      el('td', { class: 'p95' }, fmt(r.p95))))));
}

async function drillDown(domain, k) {
  const id = domain + '/' + k.name;
  const key = drill.get(id) || '';
  const select = el('select', { class: 'by', 'aria-label': 'series of ' + k.name + ' by' },
    el('option', { value: '' }, 'total only'),
    ...k.attributes.map(a => el('option', { value: a.key }, 'by ' + a.key)));
  select.value = key;
  select.addEventListener('change', () => {
    if (select.value) drill.set(id, select.value); else drill.delete(id);
    refresh();
  });
  const box = el('div', { class: 'drill' }, select);
  if (key) {
    box.append(seriesTable(k, key, await get('/api/rollups?domain=' + encodeURIComponent(domain) + '&kpi='
      + encodeURIComponent(k.name) + '&period=hour&since=2h&by=' + encodeURIComponent(key))));
  }
  return box;
}

async function domainCard(domain, plugins, cognition) {
  const kpis = new Map();
  for (const p of plugins) for (const k of p.kpis) if (!kpis.has(k.name)) kpis.set(k.name, k);
  const scores = cognition ? cognition.scores : null;
  const card = el('article', { class: 'domain', 'data-domain': domain },
    el('h3', {}, el('span', {}, domain),
      el('span', {}, ...plugins.map(p => el('span', { class: 'state-' + p.state, title: p.cause || '' }, p.id + ' ' + p.state + ' ')))),
    el('div', { class: 'scores' }, scores
      ? 'health ' + fmt(scores.health, 2) + ' · trust ' + fmt(scores.trust, 2) + ' · confidence ' + fmt(scores.confidence, 2)
        + (cognition.trend == null ? '' : ' · trend ' + (cognition.trend >= 0 ? '+' : '') + fmt(cognition.trend, 2))
      : 'current hour'));
  const histories = await Promise.all([...kpis.keys()].map(name =>
    get('/api/rollups?domain=' + encodeURIComponent(domain) + '&kpi=' + encodeURIComponent(name) + '&period=hour&since=24h')));
  const drills = await Promise.all([...kpis.values()].map(k =>
    k.attributes && k.attributes.length > 0 ? drillDown(domain, k) : null));
  const flags = cognition && cognition.flags ? cognition.flags : [];
  [...kpis.values()].forEach((k, i) => {
    const rows = histories[i].ok ? histories[i].body.rollups : [];
    const flagged = flags.filter(f => f.kpi === k.name);
    card.append(el('div', { class: 'kpi', 'data-kpi': k.name },
      el('span', { class: 'name', title: k.description }, k.name + ' (' + k.unit.toLowerCase() + ')'),
      el('span', { class: 'now', title: k.currentHour.count + ' values this hour' }, fmt(k.currentHour.mean)),
      sparkline(rows),
      ...flagged.map(f => el('span', { class: 'flag', 'data-flag': f.flag, title: f.detail }, '⚑ ' + f.flag)),
      ...(drills[i] ? [drills[i]] : [])));
  });
  return card;
}

async function refresh() {
  const [health, plugins, status, readiness, alerts] = await Promise.all([
    get('/health'), get('/api/plugins'), get('/api/cognition/status'),
    get('/api/cognition/readiness'), get('/api/cognition/alerts?limit=10')]);

  const runtime = document.getElementById('runtime');
  runtime.textContent = health.body ? health.body.status + (health.body.reason ? ': ' + health.body.reason : '') : 'unreachable';
  runtime.className = 'pill ' + (health.ok ? 'up' : 'down');

  const note = document.getElementById('cognition-note');
  if (status.ok) {
    setScore('health', status.body.overall.health);
    setScore('trust', status.body.overall.trust);
    setScore('confidence', status.body.overall.confidence);
    note.textContent = 'hour ' + status.body.hour + (status.body.open ? ' (open)' : '');
  } else {
    ['health', 'trust', 'confidence'].forEach(s => setScore(s, null));
    note.textContent = 'Scores unavailable: ' + (status.body ? status.body.detail : 'HTTP ' + status.status);
  }

  if (plugins.ok) {
    const t = plugins.body.totals;
    document.getElementById('totals').textContent = fmt(t.accepted) + ' accepted · ' + fmt(t.rejected) + ' rejected';
    const byDomain = new Map();
    for (const p of plugins.body.plugins) {
      if (!p.domain) continue;
      if (!byDomain.has(p.domain)) byDomain.set(p.domain, []);
      byDomain.get(p.domain).push(p);
    }
    const scored = new Map((status.ok ? status.body.domains : []).map(d => [d.domain, d]));
    const cards = await Promise.all([...byDomain.keys()].sort().map(d => domainCard(d, byDomain.get(d), scored.get(d))));
    document.getElementById('domains').replaceChildren(...cards);
  }

  const tbody = document.querySelector('#benchmarks tbody');
  if (readiness.ok) {
    tbody.replaceChildren(...readiness.body.benchmarks.map(b => el('tr', {},
      el('td', {}, b.name), el('td', {}, b.metric), el('td', {}, fmt(b.value, 2)),
      el('td', {}, (b.direction === 'at_most' ? '≤ ' : '≥ ') + fmt(b.threshold, 2)),
      el('td', {}, b.samples + '/' + b.windowHours + ' h'),
      el('td', { class: 'state-' + b.state }, b.state), el('td', {}, b.missing))));
    document.getElementById('readiness').textContent = (readiness.body.elevationReady ? 'Ready for elevation. ' : 'Not ready yet. ')
      + readiness.body.nextSteps.join(' ');
  } else {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: '7', class: 'muted' }, readiness.body ? readiness.body.detail : 'unavailable')));
    document.getElementById('readiness').textContent = '';
  }

  const guard = document.getElementById('flags');
  const raised = readiness.ok && readiness.body.flags ? readiness.body.flags : [];
  guard.replaceChildren(...(raised.length > 0
    ? raised.map(f => el('li', { 'data-flag': f.flag }, f.domain + '.' + f.kpi + ' · ' + f.flag + ' · since ' + f.since + ' · ' + f.detail))
    : [el('li', { class: 'muted' }, readiness.ok ? 'No KPI flagged.' : 'unavailable')]));

  const list = document.getElementById('alerts');
  if (alerts.ok && alerts.body.alerts.length > 0) {
    list.replaceChildren(...alerts.body.alerts.map(a => el('li', {}, a.at + ' · ' + a.type + ' · ' + a.subject + ' · ' + a.message)));
  } else {
    list.replaceChildren(el('li', { class: 'muted' }, alerts.ok ? 'No alerts.' : (alerts.body ? alerts.body.detail : 'unavailable')));
  }
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString() + ', every ' + REFRESH_SECONDS + 's';
  document.body.setAttribute('data-refreshed', String(Date.now()));
}

async function loop() {
  try { await refresh(); } catch (e) { console.error(e); }
  setTimeout(loop, REFRESH_SECONDS * 1000);
}
loop();
