// govsim explorer: the page of `govsim serve` (src/cli/serve.cpp). One session per tab: the parameters and
// arms are sent as a configuration, the session's simulation streams one event per day, and the charts and
// community maps are redrawn from `govsim.series` and `govsim.maps`. Everything lives in window.govsim so
// that a test (tests/serve/) can read what is plotted.
'use strict';

const G = (window.govsim = {
  session: null, model: null, charts: [], diff: null, series: [[], []], metrics: [[], []], units: [[], []],
  maps: [[], []], mapDay: -1, day: -1, days: 0, done: false, dirty: true, error: '', armNames: null, replicates: 1,
});
const HEADLINE = ['n_open_cases', 'share_good', 'mean_trust', 'mean_resolution_hours'];
const COLOURS = ['#1f5fa8', '#c0392b'];
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const r = await fetch(path, init);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function showError(text) {
  G.error = text;
  $('error').textContent = text;
}

// ---- controls ----------------------------------------------------------------------------------------

function buildArms() {
  const box = $('arm-columns');
  G.model.arms.forEach((arm, a) => {
    const col = el('div', { className: 'arm' },
      el('input', { type: 'text', id: `arm${a}-name`, value: arm.name, title: 'arm name' }));
    for (const m of G.model.mechanisms) {
      const box = el('input', { type: 'checkbox', id: `arm${a}-m-${m}`, checked: arm.mechanisms.includes(m) });
      box.addEventListener('change', () => { G.dirty = true; });
      col.append(el('div', {}, el('label', {}, box, ' ' + m)));
    }
    col.querySelector('input').addEventListener('input', () => { G.dirty = true; });
    box.append(col);
  });
}

function paramInput(p) {
  let input;
  if (p.type === 'bool') {
    input = el('select', {}, el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
  } else if (p.choices && p.choices.length) {
    input = el('select', {}, ...p.choices.map((c) => el('option', { value: c }, c)));
  } else {
    input = el('input', { type: 'text' });
  }
  input.id = 'p-' + p.key;
  input.dataset.key = p.key;
  input.value = p.value;
  input.dataset.original = input.value;
  return input;
}

function buildParameters() {
  const box = $('parameters');
  for (const section of G.model.sections) {
    const details = el('details', { open: section.name === 'run' }, el('summary', {}, `[${section.name}]`));
    for (const p of section.params) {
      if (p.key === 'run.mechanisms' || p.key === 'run.name') continue;  // the arms set these
      const input = paramInput(p);
      const row = el('div', { className: 'param' },
        el('label', { htmlFor: input.id, title: p.help }, p.key.slice(section.name.length + 1)), input);
      const range = p.type === 'int' || p.type === 'real' ? ` · ${p.min} to ${p.max}` : '';
      row.append(el('div', { className: 'meta' }, `${p.unit || p.type}${range} · ${p.source} — ${p.help}`));
      input.addEventListener('input', () => {
        row.classList.toggle('changed', input.value !== input.dataset.original);
        G.dirty = true;
      });
      input.addEventListener('change', () => { G.dirty = true; });
      details.append(row);
    }
    box.append(details);
  }
}

function configuration() {
  const values = {};
  for (const input of document.querySelectorAll('[data-key]'))
    if (input.value !== input.dataset.original) values[input.dataset.key] = input.value;
  const arms = G.model.arms.map((_, a) => ({
    name: $(`arm${a}-name`).value.trim(),
    mechanisms: G.model.mechanisms.filter((m) => $(`arm${a}-m-${m}`).checked),
  }));
  return { values, arms, map_metric: $('map-metric').value || 'share_good' };
}

// Sends the configuration if it changed since the last one; false (and the message shown) if refused.
async function configure() {
  if (!G.dirty) return true;
  try {
    const state = await api(`/api/sessions/${G.session}/configure`, configuration());
    G.armNames = state.arms;  // as the server applied them
    G.replicates = state.replicates;
  } catch (e) {
    showError(e.message);
    return false;
  }
  showError('');
  G.dirty = false;
  return true;
}

async function command(what) {
  if (what !== 'pause' && !(await configure())) return;
  try {
    const state = await api(`/api/sessions/${G.session}/${what}`, {});
    if (state.error) showError(state.error);
  } catch (e) {
    showError(e.message);
  }
}

// ---- views -------------------------------------------------------------------------------------------

function lineChart(canvas, title) {
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [0, 1].map((a) => ({
      label: '', data: [], borderColor: COLOURS[a], backgroundColor: COLOURS[a], pointRadius: 0, borderWidth: 1.5 })) },
    options: { animation: false, responsive: true, spanGaps: false,
      plugins: { title: { display: !!title, text: title } },
      scales: { x: { title: { display: true, text: 'day' } } } },
  });
}

function buildCharts() {
  const box = $('charts');
  HEADLINE.forEach((metric, i) => {
    const select = el('select', { id: `chart${i}-metric` });
    select.dataset.wanted = metric;
    select.addEventListener('change', () => render());
    const canvas = el('canvas', { id: `chart${i}` });
    box.append(el('div', { className: 'panel' }, el('h3', {}, select), canvas));
    G.charts.push(lineChart(canvas));
  });
  G.diff = lineChart($('diff'));
  G.diff.data.datasets.pop();
  $('map-metric').append(el('option', { value: 'share_good' }, 'share_good'));
  $('map-metric').addEventListener('change', () =>
    api(`/api/sessions/${G.session}/map`, { metric: $('map-metric').value }).catch((e) => showError(e.message)));
}

// Every metric either arm records (known from day 0 on; a mechanism's own series are in its arm only).
function allMetrics() {
  return [...new Set([...G.metrics[0], ...G.metrics[1]])];
}

function fillSelectors() {
  const names = allMetrics();
  for (let i = 0; i < G.charts.length; i++) {
    const select = $(`chart${i}-metric`);
    if (select.options.length === names.length) continue;
    const keep = select.value || select.dataset.wanted;
    select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    select.value = names.includes(keep) ? keep : names[0];
  }
}

function column(a, metric) {
  const i = G.metrics[a].indexOf(metric);
  return i < 0 ? [] : G.series[a][i];
}

let pending = false;
function render() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    draw();
  });
}

function draw() {
  const days = [...Array(G.day + 1).keys()];
  const names = G.armNames || G.model.arms.map((_, a) => $(`arm${a}-name`).value.trim());
  if (G.metrics[0].length) fillSelectors();
  const mean = G.replicates > 1 ? `, mean of ${G.replicates} replicates` : '';
  G.charts.forEach((chart, i) => {
    const metric = $(`chart${i}-metric`).value;
    chart.data.labels = days;
    chart.data.datasets.forEach((ds, a) => {
      ds.label = names[a];
      ds.data = column(a, metric).slice(0, days.length);
    });
    const a = G.metrics[0].includes(metric) ? 0 : 1;
    chart.options.plugins.title = { display: true, text: `${metric} (${G.units[a][G.metrics[a].indexOf(metric)] || ''}${mean})` };
    chart.update('none');
  });
  const metric = $('chart0-metric').value;
  const x = column(0, metric), y = column(1, metric);
  G.diff.data.labels = days;
  G.diff.data.datasets[0].label = `${names[1]} − ${names[0]}`;
  G.diff.data.datasets[0].data = days.map((d) => (x[d] == null || y[d] == null ? null : y[d] - x[d]));
  G.diff.update('none');
  $('diff-label').textContent = `${metric}: ${names[1]} − ${names[0]} (common random numbers)`;
  drawMaps(names);
  const state = G.day < 0 ? 'not started' : G.done ? 'finished' : 'day ' + (G.day + 1) + ' of ' + G.days;
  $('status').textContent = G.day < 0 ? state : `day ${G.day + 1} of ${G.days} · ${G.done ? 'finished' : 'running or paused'}`;
}

// Each arm's communities as squares on one colour scale (replicate 0; the map metric of the configuration).
function drawMaps(names) {
  const box = $('maps');
  let lo = Infinity, hi = -Infinity;
  for (const arm of G.maps) for (const v of arm || []) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo > hi) { lo = 0; hi = 1; }
  $('map-day').textContent = G.mapDay >= 0 ? `day ${G.mapDay + 1}, replicate 0; scale ${lo.toPrecision(3)} (pale) to ${hi.toPrecision(3)} (dark)` : '';
  if (box.children.length !== 2)
    box.replaceChildren(...[0, 1].map((a) => el('figure', {}, el('canvas', { id: `map${a}`, width: 240, height: 240 }), el('figcaption', { id: `map${a}-caption` }))));
  [0, 1].forEach((a) => {
    const values = G.maps[a] || [];
    const canvas = $(`map${a}`), ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const n = values.length, cols = Math.max(1, Math.ceil(Math.sqrt(n))), size = canvas.width / cols;
    values.forEach((v, c) => {
      const t = hi > lo && v != null ? (v - lo) / (hi - lo) : 0.5;
      ctx.fillStyle = v == null ? '#eee' : `hsl(${a === 0 ? 212 : 5}, 65%, ${88 - 60 * t}%)`;
      ctx.fillRect((c % cols) * size, Math.floor(c / cols) * size, size - 1, size - 1);
    });
    $(`map${a}-caption`).textContent = `${names[a]}: ${n} communities`;
  });
}

// ---- the event stream ----------------------------------------------------------------------------------

function connect() {
  const source = new EventSource(`/api/sessions/${G.session}/events`);
  source.addEventListener('reset', () => {
    G.series = [[], []]; G.maps = [[], []]; G.mapDay = -1; G.day = -1; G.done = false;
    render();
  });
  source.addEventListener('map', (e) => {
    const d = JSON.parse(e.data);
    G.maps = d.arms;
    G.mapDay = d.day;
    render();
  });
  source.addEventListener('failed', (e) => showError(JSON.parse(e.data)));
  source.onmessage = (e) => {
    const d = JSON.parse(e.data);
    d.arms.forEach((arm, a) => {
      if (arm.metrics) {
        G.metrics[a] = arm.metrics;
        G.units[a] = arm.units;
        G.series[a] = arm.metrics.map(() => []);
      }
      arm.values.forEach((v, i) => { G.series[a][i][d.day] = v; });
    });
    if (d.day === 0) {
      const select = $('map-metric'), keep = select.value;
      const byCommunity = d.arms[0].by_community;
      if (select.options.length !== byCommunity.length) {
        select.replaceChildren(...byCommunity.map((n) => el('option', { value: n }, n)));
        select.value = byCommunity.includes(keep) ? keep : byCommunity[0];
      }
    }
    G.day = d.day;
    G.days = d.days;
    G.done = d.day + 1 >= d.days;
    render();
  };
}

async function init() {
  G.model = await api('/api/model');
  G.session = (await api('/api/sessions', {})).id;
  $('session').textContent = `session ${G.session}`;
  $('scenario').textContent = G.model.scenario || 'every parameter at its default';
  buildArms();
  buildParameters();
  buildCharts();
  for (const what of ['run', 'pause', 'step', 'reset']) $(what).addEventListener('click', () => command(what));
  $('save').href = `/api/sessions/${G.session}/scenario.ini`;
  $('download').href = `/api/sessions/${G.session}/result.h5`;
  for (const link of [$('save'), $('download')])
    link.addEventListener('click', async (e) => {
      if (G.dirty) { e.preventDefault(); if (await configure()) link.click(); }
    });
  connect();
  render();
}

init().catch((e) => showError(String(e)));
