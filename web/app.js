/*
 * app.js - the Transfer Radar page: the rumour board, a story with its
 * timeline and evidence, clubs, players, sources and search, all drawn from
 * the JSON API of `radar serve` (docs/api.md).
 *
 * The URL after '#' holds the view and its filters ("#/?club=Arsenal&sort=recent",
 * "#/story/12"), so any state can be shared as a link and the back button works.
 * Everything is built with DOM calls and textContent, never from HTML strings:
 * article text is shown exactly as it is, whatever it contains. Fields the API
 * may not have yet (a story's likelihood, a source's reliability) are shown
 * when present and skipped when absent.
 */
'use strict';

const STAGES = ['interest', 'contact', 'talks', 'bid', 'agreement', 'medical', 'signed', 'rejected', 'collapsed', 'denied'];
// The board's order when the URL names none: the newest activity first (the API's own default is heat).
const SORTS = [['recent', 'Newest activity'], ['hot', 'Heat'], ['first', 'First seen'], ['likelihood', 'Likelihood']];
const DEFAULT_SORT = 'recent';
const PAGE = 25;
const MAX_BODIES = 30; // article texts loaded with a story; the rest on demand

const view = () => document.getElementById('view');

/* ---- small helpers ---------------------------------------------------- */

// h('a', {href: '#/'}, 'text', child...): an element; attributes starting with "on" are listeners.
function h(tag, attrs, ...kids) {
  const svg = ['svg', 'g', 'circle', 'line', 'polyline', 'text', 'rect', 'title', 'path'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

// fill(el, child...): el's children replaced; arrays are flattened, null and false skipped.
function fill(el, ...kids) {
  el.replaceChildren(...kids.flat(Infinity).filter((k) => k !== undefined && k !== null && k !== false));
  return el;
}

function hashFor(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const qs = q.toString();
  return '#/' + path.map(encodeURIComponent).join('/') + (qs ? '?' + qs : '');
}

function link(path, params, ...kids) {
  return h('a', { href: hashFor(path, params) }, ...kids);
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const url = '/api/' + path.map(encodeURIComponent).join('/') + (q.toString() ? '?' + q : '');
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await r.json(); } catch (e) { /* not JSON: keep the status */ }
  if (!r.ok) throw new ApiError(r.status, (body && body.error) || ('HTTP ' + r.status));
  return body;
}

function notice(text, kind) { return h('p', { class: 'notice ' + (kind || '') }, text); }

function money(fee) {
  if (!fee || typeof fee.amount !== 'number') return '';
  const fmt = (n) => n >= 1e6 ? (n / 1e6).toFixed(n % 1e6 ? 1 : 0) + 'm' : n >= 1e3 ? (n / 1e3).toFixed(0) + 'k' : String(n);
  const sym = { GBP: '£', EUR: '€', USD: '$' }[fee.currency] || (fee.currency ? fee.currency + ' ' : '');
  let s = sym + fmt(fee.amount);
  if (typeof fee.amount_max === 'number') s += '–' + sym + fmt(fee.amount_max);
  if (fee.currency !== 'EUR' && typeof fee.eur === 'number') s += ' (≈€' + fmt(Math.round(fee.eur)) + ')';
  return s;
}

function pct(p) { return Math.round(p * 100) + '%'; }

// A stage badge, or nothing for a story or mention with no stage of its own (the API's "none":
// only endings reported), which the page does not show as a stage.
function stageBadge(stage) {
  if (!STAGES.includes(stage)) return null;
  return h('span', { class: 'stage stage-' + stage }, stage);
}

// "1 mention", "3 mentions", "2 stories" (plural(2, 'story', 'stories')).
function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : many || one + 's');
}

// "9 mentions, 3 sources (2 independent)": the independent count only when it says something.
function counts(s) {
  const ind = s.independent_sources;
  return plural(s.mentions, 'mention') + ', ' + plural(s.sources, 'source') +
    (typeof ind === 'number' && ind < s.sources ? ` (${ind} independent)` : '');
}

// The likelihood of a story: a number (board rows) or {p, factors} (a story).
function likelihoodP(l) {
  if (typeof l === 'number') return l;
  if (l && typeof l.p === 'number') return l.p;
  return null;
}

function meter(p) {
  return h('span', { class: 'meter', title: 'likelihood ' + pct(p) },
    h('span', { class: 'meter-fill meter-' + Math.min(4, Math.floor(p * 5)) + ' w' + Math.round(p * 20) * 5 }),
    h('span', { class: 'meter-text' }, pct(p)));
}

function done(name) {
  document.body.dataset.view = name;
  document.body.dataset.ready = '1';
  for (const a of document.querySelectorAll('[data-nav]'))
    a.classList.toggle('here', a.dataset.nav === name);
}

/* ---- story cards (board, club, player) --------------------------------- */

function storyCard(s) {
  const p = likelihoodP(s.likelihood);
  return h('a', { class: 'story-card', href: hashFor(['story', String(s.id)]), 'data-story': s.id },
    h('div', { class: 'card-head' },
      h('span', { class: 'player' }, s.player),
      h('span', { class: 'arrow' }, ' → '),
      h('span', { class: 'club' }, s.to_club),
      p !== null ? meter(p) : null),
    h('div', { class: 'card-sub' },
      s.from_club ? h('span', {}, 'from ' + s.from_club) : null,
      stageBadge(s.stage),
      h('span', { class: 'counts' }, counts(s)),
      h('span', {}, (s.first_seen || 'date unknown') + (s.last_seen && s.last_seen !== s.first_seen ? ' … ' + s.last_seen : '')),
      activity(s) ? h('span', { class: 'status status-' + s.status }, activity(s) + (s.resurfaced_after ? ' after ' + s.resurfaced_after : '')) : null,
      outcomeBadge(s)));
}

// The story's status, with its reason in the tooltip: done, failed, went quiet (open has none).
const OUTCOMES = [['open', 'open'], ['done', 'done'], ['failed', 'failed'], ['quiet', 'went quiet']];
function outcomeBadge(s) {
  if (!s.outcome || s.outcome === 'open') return null;
  const label = (OUTCOMES.find(([v]) => v === s.outcome) || [s.outcome, s.outcome])[1];
  const why = s.outcome_reason;
  return h('span', Object.assign({ class: 'outcome outcome-' + s.outcome }, why ? { title: why } : {}), label);
}

function statusText(status) {
  return status === 'undated' ? 'date unknown' : status;
}

// How lively an open story is (active, dormant, resurfaced, date unknown); nothing beside a story
// that is done, failed or went quiet, where "active" would contradict its status.
function activity(s) {
  if (s.outcome && s.outcome !== 'open' && s.status !== 'undated') return '';
  return statusText(s.status);
}

function storyList(stories, empty) {
  if (!stories || !stories.length) return notice(empty || 'No stories.');
  return h('div', { class: 'cards' }, stories.map(storyCard));
}

/* ---- the board --------------------------------------------------------- */

let sourceNames = null; // for the source filter's suggestions, loaded once

async function board(params) {
  const sort = params.get('sort') || DEFAULT_SORT;
  const sortParam = sort === DEFAULT_SORT ? '' : sort; // the default stays out of the URL
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const filters = {};
  for (const k of ['club', 'player', 'source', 'stage', 'status', 'since']) if (params.get(k)) filters[k] = params.get(k);

  const update = (changes) => {
    const next = Object.assign({ sort: sortParam }, filters, changes);
    location.hash = hashFor([], next);
  };
  const field = (name, label, input) => h('label', { class: 'field' }, h('span', {}, label), input);
  const text = (name, placeholder) => h('input', {
    name, value: filters[name] || '', placeholder, type: 'search', maxlength: 200,
    onchange: (e) => update({ [name]: e.target.value.trim() }),
  });
  const stageSel = h('select', { name: 'stage', onchange: (e) => update({ stage: e.target.value }) },
    h('option', { value: '' }, 'any stage'),
    STAGES.map((s) => h('option', { value: s, selected: filters.stage === s }, s)));
  const statusSel = h('select', { name: 'status', onchange: (e) => update({ status: e.target.value }) },
    h('option', { value: '' }, 'any status'),
    OUTCOMES.map(([v, l]) => h('option', { value: v, selected: filters.status === v }, l)));
  const sortSel = h('select', { name: 'sort', onchange: (e) => update({ sort: e.target.value === DEFAULT_SORT ? '' : e.target.value }) },
    SORTS.map(([v, l]) => h('option', { value: v, selected: sort === v }, l)));
  const sourceInput = text('source', 'any source');
  sourceInput.setAttribute('list', 'source-names');
  const datalist = h('datalist', { id: 'source-names' });
  const controls = h('form', { class: 'controls', onsubmit: (e) => { e.preventDefault(); } },
    field('sort', 'Sort by', sortSel),
    field('club', 'Club', text('club', 'any club')),
    field('player', 'Player', text('player', 'any player')),
    field('source', 'Source', sourceInput), datalist,
    field('stage', 'Stage', stageSel),
    field('status', 'Status', statusSel),
    field('since', 'Active since', windowSelect(filters.since, (v) => update({ since: v }))),
    Object.keys(filters).length ? h('a', { class: 'clear', href: hashFor([], { sort: sortParam }) }, 'clear filters') : null);

  const out = view();
  fill(out, h('h1', {}, 'Rumour board'), controls, notice('Loading stories…', 'loading'));
  // the suggestions cost a scan of every source: asked for when the field is first used, not with every board
  const suggest = () => {
    if (sourceNames) return fillSources(datalist);
    api(['sources']).then((r) => { sourceNames = r.sources.map((s) => s.name); fillSources(datalist); }).catch(() => {});
  };
  if (sourceNames) fillSources(datalist);
  else sourceInput.addEventListener('focus', suggest, { once: true });

  let res;
  try {
    res = await api(['stories'], Object.assign({ sort, limit: PAGE, offset }, filters));
  } catch (e) {
    const why = sort === 'likelihood' && e.status === 400
      ? 'Sorting by likelihood is not available from this store yet (' + e.message + ').' : e.message;
    fill(out, h('h1', {}, 'Rumour board'), controls, notice(why, 'error'));
    return done('board');
  }
  const n = res.stories.length;
  const pager = h('div', { class: 'pager' },
    h('span', {}, n ? `${offset + 1}–${offset + n} of ${res.total}` : `0 of ${res.total}`),
    offset > 0 ? h('a', { href: hashFor([], Object.assign({ sort: sortParam }, filters, { offset: Math.max(0, offset - PAGE) || '' })) }, '← previous page') : null,
    offset + n < res.total ? h('a', { href: hashFor([], Object.assign({ sort: sortParam }, filters, { offset: offset + PAGE })) }, 'next page →') : null);
  fill(out, h('h1', {}, 'Rumour board'), controls, pager,
    storyList(res.stories, 'No story matches these filters.'), n > 5 ? pager.cloneNode(true) : null);
  done('board');
}

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

// The window filter: a story is listed when it was reported on or after the day chosen (the API's
// `since`). The choices are recent spans and the seasons (from 1 July) of the last five years; a
// date from a shared link that is none of them is offered as itself.
function windowSelect(since, onpick) {
  const now = Date.now(), day = 864e5;
  const today = new Date(now);
  const season = today.getUTCFullYear() - (today.getUTCMonth() < 6 ? 1 : 0); // the season under way began then
  const choices = [['', 'any time'], [isoDay(now - 30 * day), 'the last 30 days'],
    [isoDay(now - 90 * day), 'the last 90 days'], [isoDay(now - 365 * day), 'the last 12 months']];
  for (let y = season; y > season - 5; y--)
    choices.push([`${y}-07-01`, `season ${y}-${String((y + 1) % 100).padStart(2, '0')} on`]);
  if (since && !choices.some(([v]) => v === since)) choices.push([since, since]);
  return h('select', { name: 'since', onchange: (e) => onpick(e.target.value) },
    choices.map(([v, l]) => h('option', { value: v, selected: (since || '') === v }, l)));
}

function fillSources(datalist) {
  fill(datalist, ...(sourceNames || []).slice(0, 500).map((n) => h('option', { value: n })));
}

/* ---- a story ----------------------------------------------------------- */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The time axis for dates from t0 to t1 (ms, UTC), widened to whole months when they span six weeks
// or more, else to whole weeks (from Monday): {t0, t1, ticks: [[tick, label's x, label, anchor]]}.
// A month's label sits in the middle of its month, with its year on the first and on January; when
// more than `most` (at most 12) months would crowd the axis, only every 2nd, 3rd, 6th or 12th month
// (or year) starts a band and is named. A week is named by its Monday, after its tick. Each month or
// week is named once, and a month name comes back only with its year: no two labels are the same.
function timeAxis(t0, t1, most) {
  const day = 864e5;
  const ticks = [];
  if (t1 - t0 >= 42 * day) {
    const a = new Date(t0), b = new Date(t1);
    const first = a.getUTCFullYear() * 12 + a.getUTCMonth(), last = b.getUTCFullYear() * 12 + b.getUTCMonth();
    const step = [1, 2, 3, 6, 12, 24, 60, 120].find((k) => Math.ceil((last - first + 1) / k) <= most) || 240;
    const from = Math.floor(first / step) * step, to = (Math.floor(last / step) + 1) * step; // whole bands
    const at = (n) => Date.UTC(Math.floor(n / 12), n % 12, 1);
    for (let n = from; n < to; n += step) {
      const label = step >= 12 ? String(Math.floor(n / 12)) + (step > 12 ? '–' + Math.floor((n + step - 1) / 12) : '')
        : MONTHS[n % 12] + (n === from || n % 12 === 0 ? ' ' + Math.floor(n / 12) : '');
      ticks.push([at(n), (at(n) + at(n + step)) / 2, label, 'middle']);
    }
    return { t0: at(from), t1: at(to), ticks };
  }
  let m = Date.UTC(new Date(t0).getUTCFullYear(), new Date(t0).getUTCMonth(), new Date(t0).getUTCDate());
  while (new Date(m).getUTCDay() !== 1) m -= day;
  const start = m;
  for (; m <= t1; m += 7 * day) {
    const d = new Date(m);
    ticks.push([m, m, d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()], 'start']);
  }
  return { t0: start, t1: m, ticks };
}

// Mentions over time: x is the date, y the stage (furthest at the top; mentions with no stage of
// their own on a row of their own, "other"), each dot coloured by its stage and labelled with who
// published it where the label has room: a label that would overlap another is left out (the dot's
// tooltip still names the source).
function timelineChart(timeline) {
  const dated = timeline.filter((m) => m.date);
  const W = 720, left = 86, right = 24, top = 30, rowH = 46;
  const rowOf = (m) => STAGES.includes(m.stage) ? m.stage : 'other';
  const stages = STAGES.filter((s) => dated.some((m) => m.stage === s));
  if (dated.some((m) => rowOf(m) === 'other')) stages.unshift('other');
  if (!dated.length) return notice('No dated mention to chart.');
  const H = top + stages.length * rowH + 36;
  const t = (d) => Date.parse(d + 'T00:00:00Z');
  const axis = timeAxis(Math.min(...dated.map((m) => t(m.date))), Math.max(...dated.map((m) => t(m.date))), 12);
  const t0 = axis.t0, t1 = axis.t1;
  const x = (ms) => left + (W - left - right) * (ms - t0) / (t1 - t0);
  const y = (s) => top + (stages.length - 1 - stages.indexOf(s)) * rowH + rowH / 2;
  const svg = h('svg', { id: 'timeline-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `Timeline of ${plural(dated.length, 'mention')}` });
  for (const s of stages) {
    svg.append(h('line', { class: 'grid', x1: left, x2: W - right, y1: y(s), y2: y(s) }));
    svg.append(h('text', { class: 'row-label', x: left - 8, y: y(s) + 4, 'text-anchor': 'end' }, s));
  }
  for (const [tick, at, label, anchor] of axis.ticks) {
    const xx = x(tick).toFixed(1);
    svg.append(h('line', { class: 'tick', x1: xx, x2: xx, y1: H - 32, y2: H - 24 }));
    svg.append(h('text', { class: 'axis-label', x: (x(at) + (anchor === 'start' ? 3 : 0)).toFixed(1), y: H - 12,
      'text-anchor': anchor }, label));
  }
  svg.append(h('line', { class: 'tick', x1: W - right, x2: W - right, y1: H - 32, y2: H - 24 }));
  const sorted = dated.slice().sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  svg.append(h('polyline', { class: 'path', points: sorted.map((m) => `${x(t(m.date)).toFixed(1)},${y(rowOf(m))}`).join(' ') }));
  const placed = []; // label boxes [x0, y0, x1, y1] already drawn
  const free = (b) => b[0] >= 0 && b[2] <= W && b[1] >= 0 && b[3] <= H - 30 &&
    placed.every((p) => b[2] <= p[0] || b[0] >= p[2] || b[3] <= p[1] || b[1] >= p[3]);
  for (const m of sorted) {
    const who = m.published_by || (m.sources && m.sources[0] && m.sources[0].name) || m.article;
    const cx = x(t(m.date)), cy = y(rowOf(m));
    svg.append(h('circle', { class: 'mention-dot stage-fill-' + rowOf(m), cx: cx.toFixed(1), cy, r: 6, 'data-article': m.article },
      h('title', {}, `${m.date} · ${STAGES.includes(m.stage) ? m.stage : 'no stage'} · ${who}`)));
    placed.push([cx - 6, cy - 6, cx + 6, cy + 6]);
  }
  // labels after the dots, so that no label covers a dot; 11px text is at most 7px a character wide
  for (const m of sorted) {
    const who = m.published_by || (m.sources && m.sources[0] && m.sources[0].name) || m.article;
    const cx = x(t(m.date)), cy = y(rowOf(m));
    const w = Math.min(who.length, 28) * 7 + 4;
    const text = who.length > 28 ? who.slice(0, 27) + '…' : who;
    const anchor = cx > W - right - w / 2 ? 'end' : cx < w / 2 ? 'start' : 'middle';
    const bx = anchor === 'end' ? cx - w : anchor === 'start' ? cx : cx - w / 2;
    for (const base of [cy - 10, cy + 19, cy - 22]) {
      const box = [bx, base - 10, bx + w, base + 3];
      if (!free(box)) continue;
      placed.push(box);
      svg.append(h('text', { class: 'dot-label', x: cx.toFixed(1), y: base, 'text-anchor': anchor, 'data-article': m.article }, text));
      break;
    }
  }
  const undated = timeline.length - dated.length;
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', {}, `${plural(dated.length, 'dated mention')}` + (undated ? `, ${undated} undated (not charted)` : '')));
}

const bodies = new Map(); // article id -> Promise of the article

function article(id) {
  if (!bodies.has(id)) bodies.set(id, api(['articles', id]).catch((e) => { bodies.delete(id); throw e; }));
  return bodies.get(id);
}

// The article text with each evidence span marked. Spans are byte offsets into the UTF-8 body;
// when a span does not land on the quoted text (a body with invalid bytes) the quote is searched.
function highlighted(body, evidence) {
  const bytes = new TextEncoder().encode(body);
  const dec = new TextDecoder();
  const ranges = [];
  for (const ev of evidence || []) {
    let s = -1, e = -1;
    const [a, b] = ev.span || [];
    if (Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b <= bytes.length && a < b) {
      s = dec.decode(bytes.subarray(0, a)).length;
      e = s + dec.decode(bytes.subarray(a, b)).length;
      if (body.slice(s, e) !== ev.text) s = -1;
    }
    if (s < 0 && ev.text) {
      s = body.indexOf(ev.text);
      e = s + ev.text.length;
    }
    if (s >= 0) ranges.push([s, e]);
  }
  ranges.sort((p, q) => p[0] - q[0]);
  const out = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at) continue; // overlapping spans: the first one wins
    out.push(body.slice(at, s), h('mark', { class: 'evidence' }, body.slice(s, e)));
    at = e;
  }
  out.push(body.slice(at));
  return out;
}

function articleBox(m, load) {
  const box = h('div', { class: 'article-text' });
  const show = () => {
    fill(box, notice('Loading the article…', 'loading'));
    article(m.article).then((a) => {
      fill(box, h('p', { class: 'body' }, highlighted(a.body || '', m.evidence)));
    }).catch((e) => {
      // the quotes alone, when the article cannot be read
      fill(box, notice('Article text unavailable: ' + e.message, 'error'),
        (m.evidence || []).map((ev) => h('blockquote', {}, h('mark', { class: 'evidence' }, ev.text))));
    });
  };
  if (load) show();
  else fill(box, h('button', { type: 'button', onclick: show }, 'Show the article with its evidence'),
    (m.evidence || []).map((ev) => h('blockquote', {}, h('mark', { class: 'evidence' }, ev.text))));
  return box;
}

function mentionItem(m, i, storyOf) {
  const srcs = (m.sources || []).map((s) => s.name + (s.cited ? ' (cited)' : ''));
  return h('li', { class: 'mention', id: 'mention-' + i },
    h('div', { class: 'mention-head' },
      h('span', { class: 'date' }, m.date || 'date unknown'),
      stageBadge(m.stage),
      m.published_by ? h('span', { class: 'outlet' }, m.published_by) : null,
      m.fee ? h('span', { class: 'fee' }, money(m.fee) + (m.fee.kind ? ' ' + m.fee.kind.replace('_', ' ') : '')) : null,
      typeof m.age === 'number' ? h('span', {}, 'age ' + m.age) : null),
    m.title ? h('div', { class: 'title' }, m.title) : null,
    srcs.length ? h('div', { class: 'sources' }, 'Sources: ' + srcs.join(', ')) : null,
    m.suitors_also && m.suitors_also.length ? h('div', { class: 'also' }, 'Also interested: ' + m.suitors_also.join(', ')) : null,
    h('details', { class: 'article', open: i < MAX_BODIES },
      h('summary', {}, 'Article ' + m.article),
      h('p', { class: 'article-links' }, link(['article', m.article], { story: storyOf }, 'open the article'), ' ', outLink(m.url)),
      articleBox(m, i < MAX_BODIES)));
}

// How the story ended, if it did: each resolution with its date and reason.
function resolutionList(s) {
  const rs = Array.isArray(s.resolutions) ? s.resolutions : [];
  if (!rs.length) return null;
  return h('ul', { class: 'resolutions' }, rs.map((r) => h('li', {},
    h('b', {}, r.outcome === 'quiet' ? 'went quiet' : r.outcome), ' on ', r.on || '?', ' — ', r.how || '')),
    s.outcome === 'open' ? h('li', {}, 'reported again since: open') : null);
}

// The status and what it rests on: the reason, and the words quoted from the article.
function statusBox(s) {
  const label = (OUTCOMES.find(([v]) => v === s.outcome) || [s.outcome, s.outcome || 'open'])[1];
  const why = s.outcome_reason;
  return h('section', { class: 'status-box outcome-box-' + (s.outcome || 'open') },
    h('h2', {}, 'Status ', h('span', { class: 'outcome outcome-' + (s.outcome || 'open') }, label)),
    why && s.outcome !== 'open' ? h('p', { class: 'outcome-reason' }, why) : null,
    why && s.outcome === 'open' ? h('p', {}, 'Reported again since it ended on ' + (s.outcome_on || '?') + '.') : null,
    s.outcome_text && s.outcome !== 'open' ? h('blockquote', {}, h('mark', { class: 'evidence' }, s.outcome_text),
      s.outcome_article ? h('small', {}, ' — ', link(['article', s.outcome_article], { story: String(s.id) }, 'article ' + s.outcome_article)) : null) : null,
    s.status === 'undated' ? h('p', {}, 'No report of this move carries a date: how fresh it is is unknown.') : null);
}

function likelihoodBox(l, s) {
  const p = likelihoodP(l);
  if (p === null) return null;
  const factors = (l && Array.isArray(l.factors)) ? l.factors : [];
  const maxAbs = Math.max(1e-9, ...factors.map((f) => Math.abs(Number(f.contribution) || 0)));
  return h('section', { class: 'likelihood' },
    h('h2', {}, 'Likelihood ', meter(p), l && l.as_of ? h('small', {}, ' as of ' + l.as_of) : null),
    s ? resolutionList(s) : null,
    factors.length ? h('table', { class: 'factors' },
      h('thead', {}, h('tr', {}, h('th', {}, 'factor'), h('th', {}, 'what was seen'), h('th', {}, 'log-odds'))),
      h('tbody', {}, factors.map((f) => {
        if (f.contribution === null) /* a resolved story: certain, not weighed */
          return h('tr', {}, h('td', {}, String(f.name)), h('td', {}, String(f.detail ?? '')), h('td', {}, '—'));
        const c = Number(f.contribution) || 0;
        return h('tr', {},
          h('td', {}, String(f.name).replace(/_/g, ' ')),
          h('td', {}, f.detail !== undefined ? String(f.detail)
            : typeof f.value === 'number' ? String(Math.round(f.value * 1000) / 1000) : String(f.value ?? '')),
          h('td', { class: c >= 0 ? 'up' : 'down' },
            h('span', { class: 'bar ' + (c >= 0 ? 'bar-up' : 'bar-down') + ' w' + Math.round(Math.abs(c) / maxAbs * 20) * 5 }),
            (c >= 0 ? '+' : '') + (Math.round(c * 1000) / 1000)));
      }))) : h('p', {}, 'No explanation was given for this figure.'));
}

async function story(id) {
  const out = view();
  fill(out, notice('Loading story #' + id + '…', 'loading'));
  let s;
  try {
    s = await api(['stories', id]);
  } catch (e) {
    fill(out, h('h1', {}, 'Story #' + id), notice(e.message, 'error'), link([], {}, '← back to the board'));
    return done('story');
  }
  const fees = s.timeline.filter((m) => m.fee);
  fill(out, 
    h('p', { class: 'crumbs' }, link([], {}, '← board')),
    h('h1', {}, link(['player', s.player], {}, s.player), ' → ', link(['club', s.to_club], {}, s.to_club)),
    h('div', { class: 'summary' },
      s.from_club ? h('span', {}, 'from ', link(['club', s.from_club], {}, s.from_club)) : null,
      stageBadge(s.stage) ? h('span', {}, 'stage ', stageBadge(s.stage)) : null,
      stageBadge(s.furthest_stage) && s.furthest_stage !== s.stage ? h('span', {}, 'furthest ', stageBadge(s.furthest_stage)) : null,
      h('span', { class: 'counts' }, counts(s)),
      h('span', {}, `${s.first_seen || 'date unknown'} … ${s.last_seen || 'date unknown'}`),
      activity(s) ? h('span', { class: 'status status-' + s.status }, activity(s) + (s.resurfaced_after ? ' after a silence of ' + s.resurfaced_after : '')) : null,
      outcomeBadge(s)),
    statusBox(s),
    likelihoodBox(s.likelihood, s),
    h('section', {}, h('h2', {}, 'Timeline'), timelineChart(s.timeline), legend()),
    h('div', { class: 'two' },
      h('section', {}, h('h2', {}, 'Fees reported'), fees.length
        ? h('ul', { class: 'fees' }, fees.map((m) => h('li', {}, h('span', { class: 'date' }, m.date || 'date unknown'), ' ',
          h('b', {}, money(m.fee)), ' ', (m.fee.kind || '').replace('_', ' '), m.published_by ? ' — ' + m.published_by : '')))
        : h('p', {}, 'No fee reported.')),
      h('section', {}, h('h2', {}, 'Rival suitors'), rivalList(s.rival_suitors || []))),
    h('section', {}, h('h2', {}, 'Mentions and their evidence'),
      h('ol', { class: 'mentions' }, s.timeline.map((m, i) => mentionItem(m, i, String(s.id))))));
  document.title = `${s.player} → ${s.to_club} · Transfer Radar`;
  // wait for the first article texts, so that the view is complete when marked ready
  await Promise.allSettled(s.timeline.slice(0, MAX_BODIES).map((m) => article(m.article)));
  await new Promise((r) => setTimeout(r, 0));
  done('story');
}

// The other clubs after the player, the most recent first; a long list is folded after the first 20.
function rivalList(rivals) {
  if (!rivals.length) return h('p', {}, 'No other club linked.');
  const item = (c) => h('li', {}, link(['club', c], {}, c));
  const shown = h('ul', { class: 'rivals' }, rivals.slice(0, 20).map(item));
  if (rivals.length <= 20) return shown;
  return [shown, h('details', {}, h('summary', {}, `and ${rivals.length - 20} more`),
    h('ul', { class: 'rivals-more' }, rivals.slice(20).map(item)))];
}

function legend() {
  return h('p', { class: 'legend' }, STAGES.map((s) => h('span', { class: 'key' }, h('span', { class: 'swatch stage-bg-' + s }), s)));
}

/* ---- clubs, players, sources, search, articles ---------------------------- */

async function club(name) {
  const out = view();
  fill(out, notice('Loading ' + name + '…', 'loading'));
  try {
    const c = await api(['clubs', name]);
    fill(out, h('p', { class: 'crumbs' }, link([], {}, '← board')),
      h('h1', {}, c.club),
      h('p', {}, link([], { club: c.club }, 'This club on the board, with filters →')),
      h('section', {}, h('h2', {}, 'Players ' + c.club + ' may sign'), storyList(c.linked_in, 'No player linked in.')),
      h('section', {}, h('h2', {}, 'Players ' + c.club + ' may lose'), storyList(c.linked_out, 'No player linked away.')),
      c.facts && c.facts.length ? h('section', {}, h('h2', {}, 'Squad facts'),
        h('ul', { class: 'facts' }, c.facts.map((f) => h('li', {}, h('span', { class: 'date' }, f.date || ''), ' ',
          h('b', {}, f.type), ' ', f.subject ? link(['player', f.subject], {}, f.subject) : '', ': ', f.value || '', ' ', f.detail || '')))) : null);
  } catch (e) {
    fill(out, h('h1', {}, name), notice(e.message, 'error'));
  }
  done('club');
}

// What the registry says of a linked player: facts, then his club history.
function registryBox(r) {
  const eur = (v) => v ? '€' + Math.round(v).toLocaleString('en') : '';
  const facts = [
    ['Date of birth', r.date_of_birth], ['Position', r.position], ['Nationality', r.nationality],
    ['Club', r.club], ['Contract until', r.contract_until], ['Market value', eur(r.market_value_eur)],
  ].filter(([, v]) => v);
  return h('section', { class: 'registry' },
    h('h2', {}, 'Registry'),
    h('p', { class: 'summary' }, `${r.name} (${r.id}), linked ${r.link === 'manual' ? 'by hand' : 'with confidence ' + r.confidence.toFixed(2)}`),
    h('dl', {}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    r.transfers.length ? h('ul', { class: 'facts' }, r.transfers.map((t) =>
      h('li', {}, h('span', { class: 'date' }, t.date || ''), ' ', t.from_club || '?', ' → ', t.to_club || '', t.fee_eur ? ' ' + eur(t.fee_eur) : ''))) : null);
}

async function player(name) {
  const out = view();
  fill(out, notice('Loading ' + name + '…', 'loading'));
  try {
    const r = await api(['players', name]);
    fill(out, h('p', { class: 'crumbs' }, link([], {}, '← board')),
      r.players.length > 1 ? h('p', {}, `${r.players.length} players match “${r.query}”.`) : null,
      r.players.map((p) => h('section', { class: 'player-box' },
        h('h1', {}, p.name),
        h('p', { class: 'summary' },
          p.club ? h('span', {}, 'at ', link(['club', p.club], {}, p.club)) : null,
          p.birth_year ? h('span', {}, 'born about ' + p.birth_year) : null,
          p.position ? h('span', { class: 'position' }, p.position) : null,
          p.nationality ? h('span', { class: 'nationality' }, p.nationality) : null),
        p.names && p.names.length > 1 ? h('p', { class: 'names' }, 'Written as: ' + p.names.join(', ')) : null,
        p.born ? h('p', { class: 'born' }, (p.latest_age ? `Aged ${p.latest_age.years} at the latest report (${p.latest_age.date}). ` : '') +
          `Born ${p.born.from === p.born.to ? p.born.from : p.born.from + '–' + p.born.to}` +
          ` by the ${p.born.ages} age${p.born.ages === 1 ? '' : 's'} reported`) : null,
        p.registry ? registryBox(p.registry) : null,
        h('h2', {}, 'Stories'), storyList(p.stories),
        p.facts && p.facts.length ? [h('h2', {}, 'Facts'), h('ul', { class: 'facts' }, p.facts.map((f) =>
          h('li', {}, h('span', { class: 'date' }, f.date || ''), ' ', h('b', {}, f.type), ': ', f.value || '', ' ', f.detail || '')))] : null)));
  } catch (e) {
    fill(out, h('h1', {}, name), notice(e.message, 'error'));
  }
  done('player');
}

// A source's reliability, when the store gives one: a hit rate and its interval.
function reliability(s) {
  if (typeof s.hit_rate !== 'number') return '';
  let text = pct(s.hit_rate);
  const iv = s.interval;
  const lo = Array.isArray(iv) ? iv[0] : iv && (iv.low ?? iv.lo);
  const hi = Array.isArray(iv) ? iv[1] : iv && (iv.high ?? iv.hi);
  if (typeof lo === 'number' && typeof hi === 'number') text += ` (${pct(lo)}–${pct(hi)})`;
  return text;
}

// The sources table's columns: [key, heading, numeric]; a click on a heading sorts by it (numbers
// largest first, names A to Z; a second click turns the order round). The order is in the URL
// (#/sources?sort=hit_rate&order=asc), so a sorted table can be shared.
const SOURCE_COLUMNS = [['name', 'source', false], ['kind', 'kind', false], ['tier', 'tier', true],
  ['mentions', 'mentions', true], ['stories', 'stories', true], ['cited', 'cited', true],
  ['resolved', 'resolved', true], ['hits', 'came true', true], ['hit_rate', 'hit rate', true]];

function sortSources(list, key, order) {
  const col = SOURCE_COLUMNS.find(([k]) => k === key) || SOURCE_COLUMNS[3];
  const dir = order === 'asc' ? 1 : order === 'desc' ? -1 : col[2] ? -1 : 1;
  const val = (s) => col[2] ? (typeof s[col[0]] === 'number' ? s[col[0]] : null) : String(s[col[0]] || '').toLowerCase();
  return list.slice().sort((a, b) => {
    const va = val(a), vb = val(b);
    if (va === null || vb === null) return (va === null) - (vb === null); // missing values last, either way
    if (va !== vb) return (va < vb ? -1 : 1) * dir;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

async function sources(params) {
  const out = view();
  const key = SOURCE_COLUMNS.some(([k]) => k === params.get('sort')) ? params.get('sort') : 'mentions';
  const numeric = SOURCE_COLUMNS.find(([k]) => k === key)[2];
  const order = params.get('order') === 'asc' || params.get('order') === 'desc' ? params.get('order') : (numeric ? 'desc' : 'asc');
  fill(out, notice('Loading sources…', 'loading'));
  try {
    const r = await api(['sources']);
    const rows = sortSources(r.sources, key, order);
    const head = ([k, label, num]) => {
      const here = k === key;
      const next = here ? (order === 'asc' ? 'desc' : 'asc') : (num ? 'desc' : 'asc');
      return h('th', { class: num ? 'num' : null, 'data-key': k, 'aria-sort': here ? (order === 'asc' ? 'ascending' : 'descending') : 'none' },
        h('a', { class: 'sort', href: hashFor(['sources'], { sort: k, order: next }), title: 'sort by ' + label },
          label, here ? (order === 'asc' ? ' ▲' : ' ▼') : null));
    };
    fill(out, h('h1', {}, 'Sources'),
      h('p', {}, 'Outlets, journalists and accounts. The hit rate is the share of the rumours a source started ' +
        'that came true, with its 90% interval; a click on a heading sorts the table.'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'sources-table' },
        h('thead', {}, h('tr', {}, SOURCE_COLUMNS.map(head))),
        h('tbody', {}, rows.map((s) => h('tr', { 'data-source': s.name },
          h('td', {}, link(['source', s.name], {}, s.name)), h('td', {}, s.kind || ''), h('td', { class: 'num' }, s.tier ?? '–'),
          h('td', { class: 'num' }, s.mentions), h('td', { class: 'num' }, s.stories), h('td', { class: 'num' }, s.cited),
          h('td', { class: 'num' }, s.resolved ?? ''), h('td', { class: 'num' }, s.hits ?? ''),
          h('td', { class: 'num rate' }, reliability(s))))))));
  } catch (e) {
    fill(out, h('h1', {}, 'Sources'), notice(e.message, 'error'));
  }
  done('sources');
}

// One source: its record (what it reported, what came true) and the stories it reported.
async function sourceView(name) {
  const out = view();
  fill(out, notice('Loading ' + name + '…', 'loading'));
  try {
    const s = await api(['sources', name]);
    const stories = s.stories_reported || [];
    const outcome = (o) => (OUTCOMES.find(([v]) => v === o) || [o, o || 'open'])[1];
    fill(out, h('p', { class: 'crumbs' }, link(['sources'], {}, '← sources')),
      h('h1', {}, s.name),
      h('p', { class: 'summary' }, h('span', {}, s.kind || 'source'), h('span', {}, s.tier ? 'tier ' + s.tier : 'tier unknown'),
        h('span', {}, plural(s.mentions, 'mention')), h('span', {}, plural(s.stories, 'story', 'stories')),
        s.cited ? h('span', {}, 'cited ' + plural(s.cited, 'time')) : null),
      h('section', { class: 'record' }, h('h2', {}, 'Record'),
        h('dl', {},
          h('dt', {}, 'Stories it started'), h('dd', {}, String(s.originated ?? 0)),
          h('dt', {}, 'Of those, resolved'), h('dd', {}, String(s.resolved ?? 0)),
          h('dt', {}, 'Came true'), h('dd', {}, String(s.hits ?? 0)),
          h('dt', {}, 'Hit rate'), h('dd', { class: 'rate' }, reliability(s) || 'not known'))),
      h('p', {}, link([], { source: s.name }, 'Its stories on the board, with filters →')),
      h('section', {}, h('h2', {}, 'Stories reported'), stories.length ? h('table', { class: 'sources-table source-stories' },
        h('thead', {}, h('tr', {}, h('th', {}, 'story'), h('th', {}, 'reported'), h('th', { class: 'num' }, 'mentions'),
          h('th', {}, 'status'), h('th', { class: 'num' }, 'likelihood'))),
        h('tbody', {}, stories.map((r) => h('tr', { 'data-story': r.story },
          h('td', {}, link(['story', String(r.story)], {}, r.player + ' → ' + r.to_club)),
          h('td', {}, (r.first_reported || '?') + (r.last_reported && r.last_reported !== r.first_reported ? ' … ' + r.last_reported : '')),
          h('td', { class: 'num' }, r.mentions), h('td', {}, outcome(r.outcome)),
          h('td', { class: 'num' }, typeof r.likelihood === 'number' ? pct(r.likelihood) : '')))))
        : notice('No story reported.')));
    document.title = s.name + ' · Transfer Radar';
  } catch (e) {
    fill(out, h('h1', {}, name), notice(e.message, 'error'), link(['sources'], {}, '← sources'));
  }
  done('source');
}

// "[word]" in a snippet marks a match.
function snippet(text) {
  return String(text || '').split(/(\[[^\]]*\])/).map((part) =>
    part.startsWith('[') && part.endsWith(']') ? h('mark', {}, part.slice(1, -1)) : part);
}

// An article's link to where it was published, opened away from the page; nothing for a URL that is
// not http(s) (no javascript: or data: link comes from a stored article).
function outLink(url) {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return h('a', { class: 'out', href: url, rel: 'noopener noreferrer', target: '_blank' }, url);
}

async function search(params) {
  const q = params.get('q') || '';
  document.getElementById('search-q').value = q;
  const out = view();
  if (!q) {
    fill(out, h('h1', {}, 'Search'), notice('Type words in the search box: a phrase in "quotes", -word to leave out, prefix*.'));
    return done('search');
  }
  fill(out, h('h1', {}, 'Search: ' + q), notice('Searching…', 'loading'));
  try {
    const r = await api(['search'], { q, limit: 50 });
    fill(out, h('h1', {}, 'Search: ' + q),
      r.hits.length ? h('ol', { class: 'hits' }, r.hits.map((x) => h('li', { 'data-article': x.article },
        h('div', { class: 'hit-title' }, link(['article', x.article], {}, x.title || x.article)),
        h('div', { class: 'hit-meta' }, h('span', { class: 'date' }, x.date || 'date unknown'),
          x.source ? h('span', { class: 'outlet' }, x.source) : null, outLink(x.url)),
        h('p', { class: 'snippet' }, snippet(x.snippet)),
        x.stories && x.stories.length ? h('div', { class: 'hit-stories' }, 'Stories: ',
          x.stories.map((st, i) => [i ? ', ' : '', link(['story', String(st.id)], {}, st.player + ' → ' + st.to_club)])) : null)))
        : notice('No article matches.'));
  } catch (e) {
    fill(out, h('h1', {}, 'Search: ' + q), notice(e.message, 'error'));
  }
  done('search');
}

// An article, titled by its title (by its id when it has none), with its link. Opened from a story
// (#/article/ID?story=N) its evidence for that story is highlighted, and the first highlight is
// scrolled into view.
async function articleView(id, params) {
  const out = view();
  fill(out, notice('Loading the article…', 'loading'));
  const storyId = params.get('story');
  try {
    const [a, s] = await Promise.all([article(id), storyId ? api(['stories', storyId]).catch(() => null) : null]);
    const evidence = s ? s.timeline.filter((m) => m.article === a.id).flatMap((m) => m.evidence || []) : [];
    if (s && s.outcome_article === a.id && s.outcome_text) evidence.push({ text: s.outcome_text });
    fill(out, h('p', { class: 'crumbs' }, s ? link(['story', String(s.id)], {}, '← ' + s.player + ' → ' + s.to_club) : link([], {}, '← board')),
      h('h1', {}, a.title || a.id),
      h('p', { class: 'summary' }, h('span', { class: 'date' }, a.date || 'date unknown'), a.source ? h('span', { class: 'outlet' }, a.source) : null,
        outLink(a.url)),
      h('div', { class: 'article-text' }, h('p', { class: 'body' }, highlighted(a.body || '', evidence))));
    document.title = (a.title || a.id) + ' · Transfer Radar';
    const first = out.querySelector('mark.evidence');
    if (first) first.scrollIntoView({ block: 'center' });
  } catch (e) {
    fill(out, h('h1', {}, 'Article ' + id), notice(e.message, 'error'));
  }
  done('article');
}

/* ---- routing ------------------------------------------------------------ */

async function route() {
  document.body.dataset.ready = '';
  const raw = location.hash.replace(/^#\/?/, '');
  const qi = raw.indexOf('?');
  const path = (qi < 0 ? raw : raw.slice(0, qi)).split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  const params = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
  document.title = 'Transfer Radar';
  window.scrollTo(0, 0);
  const [what, arg] = path;
  if (what !== 'search') document.getElementById('search-q').value = '';
  if (!what) return board(params);
  if (what === 'story' && arg) return story(arg);
  if (what === 'club' && arg) return club(arg);
  if (what === 'player' && arg) return player(arg);
  if (what === 'sources') return sources(params);
  if (what === 'source' && arg) return sourceView(arg);
  if (what === 'search') return search(params);
  if (what === 'article' && arg) return articleView(arg, params);
  fill(view(), h('h1', {}, 'Not here'), notice('No such view.'), link([], {}, '← board'));
  done('none');
}

document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = document.getElementById('search-q').value.trim();
  location.hash = hashFor(['search'], { q });
});
window.addEventListener('hashchange', route);
route();
