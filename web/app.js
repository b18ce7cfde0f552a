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
const SORTS = [['hot', 'Heat'], ['recent', 'Recency'], ['first', 'First seen'], ['likelihood', 'Likelihood']];
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

function stageBadge(stage) {
  return h('span', { class: 'stage stage-' + (STAGES.includes(stage) ? stage : 'none') }, stage || '?');
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
      h('span', {}, s.mentions + (s.mentions === 1 ? ' mention' : ' mentions')),
      h('span', {}, (s.first_seen || 'date unknown') + (s.last_seen && s.last_seen !== s.first_seen ? ' … ' + s.last_seen : '')),
      h('span', { class: 'status status-' + s.status }, statusText(s.status) + (s.resurfaced_after ? ' after ' + s.resurfaced_after : '')),
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

function storyList(stories, empty) {
  if (!stories || !stories.length) return notice(empty || 'No stories.');
  return h('div', { class: 'cards' }, stories.map(storyCard));
}

/* ---- the board --------------------------------------------------------- */

let sourceNames = null; // for the source filter's suggestions, loaded once

async function board(params) {
  const sort = params.get('sort') || 'hot';
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const filters = {};
  for (const k of ['club', 'player', 'source', 'stage', 'status', 'since']) if (params.get(k)) filters[k] = params.get(k);

  const update = (changes) => {
    const next = Object.assign({ sort: sort === 'hot' ? '' : sort }, filters, changes);
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
  const sortSel = h('select', { name: 'sort', onchange: (e) => update({ sort: e.target.value === 'hot' ? '' : e.target.value }) },
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
    Object.keys(filters).length ? h('a', { class: 'clear', href: hashFor([], sort === 'hot' ? {} : { sort }) }, 'clear filters') : null);

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
    offset > 0 ? h('a', { href: hashFor([], Object.assign({ sort: sort === 'hot' ? '' : sort }, filters, { offset: Math.max(0, offset - PAGE) || '' })) }, '← previous page') : null,
    offset + n < res.total ? h('a', { href: hashFor([], Object.assign({ sort: sort === 'hot' ? '' : sort }, filters, { offset: offset + PAGE })) }, 'next page →') : null);
  fill(out, h('h1', {}, 'Rumour board'), controls, pager,
    storyList(res.stories, 'No story matches these filters.'), n > 5 ? pager.cloneNode(true) : null);
  done('board');
}

function fillSources(datalist) {
  fill(datalist, ...(sourceNames || []).slice(0, 500).map((n) => h('option', { value: n })));
}

/* ---- a story ----------------------------------------------------------- */

// Mentions over time: x is the date, y the stage (furthest at the top), each dot coloured
// by its stage and labelled with who published it.
function timelineChart(timeline) {
  const dated = timeline.filter((m) => m.date);
  const W = 720, left = 86, right = 24, top = 24, rowH = 34;
  const stages = STAGES.filter((s) => dated.some((m) => m.stage === s));
  if (!dated.length) return notice('No dated mention to chart.');
  const H = top + stages.length * rowH + 36;
  const t = (d) => Date.parse(d + 'T00:00:00Z');
  let t0 = Math.min(...dated.map((m) => t(m.date))), t1 = Math.max(...dated.map((m) => t(m.date)));
  if (t1 - t0 < 864e5 * 2) { t0 -= 864e5 * 3; t1 += 864e5 * 3; }
  const x = (d) => left + (W - left - right) * (t(d) - t0) / (t1 - t0);
  const y = (s) => top + (stages.length - 1 - stages.indexOf(s)) * rowH + rowH / 2;
  const svg = h('svg', { id: 'timeline-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': `Timeline of ${dated.length} mentions` });
  for (const s of stages) {
    svg.append(h('line', { class: 'grid', x1: left, x2: W - right, y1: y(s), y2: y(s) }));
    svg.append(h('text', { class: 'row-label', x: left - 8, y: y(s) + 4, 'text-anchor': 'end' }, s));
  }
  // axis: the first and last dates and up to four between
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const tt = t0 + (t1 - t0) * i / ticks;
    const label = new Date(tt).toISOString().slice(0, 7);
    const xx = left + (W - left - right) * i / ticks;
    svg.append(h('line', { class: 'tick', x1: xx, x2: xx, y1: H - 30, y2: H - 26 }));
    svg.append(h('text', { class: 'axis-label', x: xx, y: H - 12, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, label));
  }
  const sorted = dated.slice().sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  svg.append(h('polyline', { class: 'path', points: sorted.map((m) => `${x(m.date).toFixed(1)},${y(m.stage)}`).join(' ') }));
  const labels = sorted.length <= 24;
  sorted.forEach((m, i) => {
    const who = m.published_by || (m.sources && m.sources[0] && m.sources[0].name) || m.article;
    const cx = x(m.date), cy = y(m.stage);
    svg.append(h('circle', { class: 'mention-dot stage-fill-' + m.stage, cx: cx.toFixed(1), cy, r: 6, 'data-article': m.article },
      h('title', {}, `${m.date} · ${m.stage} · ${who}`)));
    if (labels)
      svg.append(h('text', { class: 'dot-label', x: cx.toFixed(1), y: cy + (i % 2 ? 18 : -10), 'text-anchor': cx > W - 120 ? 'end' : cx < left + 40 ? 'start' : 'middle' }, who));
  });
  const undated = timeline.length - dated.length;
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', {}, `${dated.length} dated mention${dated.length === 1 ? '' : 's'}` + (undated ? `, ${undated} undated (not charted)` : '')));
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

function mentionItem(m, i) {
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
      h('summary', {}, 'Article ' + m.article + (m.url ? ' · ' + m.url : '')),
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
      s.outcome_article ? h('small', {}, ' — ', link(['article', s.outcome_article], {}, 'article ' + s.outcome_article)) : null) : null,
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
      h('span', {}, 'furthest stage ', stageBadge(s.stage)),
      s.latest_stage && s.latest_stage !== s.stage ? h('span', {}, 'latest ', stageBadge(s.latest_stage)) : null,
      h('span', {}, `${s.mentions} mentions, ${s.sources} sources (${s.independent_sources} independent)`),
      h('span', {}, `${s.first_seen || 'date unknown'} … ${s.last_seen || 'date unknown'}`),
      h('span', { class: 'status status-' + s.status }, statusText(s.status) + (s.resurfaced_after ? ' after a silence of ' + s.resurfaced_after : '')),
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
      h('ol', { class: 'mentions' }, s.timeline.map(mentionItem))));
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

async function sources() {
  const out = view();
  fill(out, notice('Loading sources…', 'loading'));
  try {
    const r = await api(['sources']);
    const rel = r.sources.some((s) => typeof s.hit_rate === 'number');
    fill(out, h('h1', {}, 'Sources'),
      h('p', {}, 'Outlets, journalists and accounts, by the number of mentions they carried. ' +
        (rel ? 'Reliability: the share of their rumours that came true, with its uncertainty.' : '')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'sources-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'source'), h('th', {}, 'kind'), h('th', {}, 'tier'),
          h('th', { class: 'num' }, 'mentions'), h('th', { class: 'num' }, 'stories'), h('th', { class: 'num' }, 'cited'),
          rel ? h('th', {}, 'reliability') : null)),
        h('tbody', {}, r.sources.map((s) => h('tr', {},
          h('td', {}, link([], { source: s.name }, s.name)), h('td', {}, s.kind || ''), h('td', {}, s.tier ?? '–'),
          h('td', { class: 'num' }, s.mentions), h('td', { class: 'num' }, s.stories), h('td', { class: 'num' }, s.cited),
          rel ? h('td', {}, reliability(s)) : null))))));
  } catch (e) {
    fill(out, h('h1', {}, 'Sources'), notice(e.message, 'error'));
  }
  done('sources');
}

// "[word]" in a snippet marks a match.
function snippet(text) {
  return String(text || '').split(/(\[[^\]]*\])/).map((part) =>
    part.startsWith('[') && part.endsWith(']') ? h('mark', {}, part.slice(1, -1)) : part);
}

async function search(params) {
  const q = params.get('q') || '';
  document.getElementById('search-q').value = q;
  const out = view();
  if (!q) {
    fill(out, h('h1', {}, 'Search'), notice('Type words in the search box: a phrase in "quotes", OR, NOT, prefix*.'));
    return done('search');
  }
  fill(out, h('h1', {}, 'Search: ' + q), notice('Searching…', 'loading'));
  try {
    const r = await api(['search'], { q, limit: 50 });
    fill(out, h('h1', {}, 'Search: ' + q),
      r.hits.length ? h('ol', { class: 'hits' }, r.hits.map((x) => h('li', {},
        h('div', {}, h('span', { class: 'date' }, x.date || 'date unknown'), ' ', link(['article', x.article], {}, x.title || x.article),
          x.source ? h('span', { class: 'outlet' }, ' · ' + x.source) : null),
        h('p', { class: 'snippet' }, snippet(x.snippet))))) : notice('No article matches.'));
  } catch (e) {
    fill(out, h('h1', {}, 'Search: ' + q), notice(e.message, 'error'));
  }
  done('search');
}

async function articleView(id) {
  const out = view();
  fill(out, notice('Loading the article…', 'loading'));
  try {
    const a = await article(id);
    fill(out, h('p', { class: 'crumbs' }, link([], {}, '← board')),
      h('h1', {}, a.title || a.id),
      h('p', { class: 'summary' }, h('span', {}, a.date || 'date unknown'), a.source ? h('span', {}, a.source) : null,
        a.url ? h('span', {}, a.url) : null),
      h('p', { class: 'body' }, a.body));
  } catch (e) {
    fill(out, h('h1', {}, 'Article'), notice(e.message, 'error'));
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
  if (what === 'sources') return sources();
  if (what === 'search') return search(params);
  if (what === 'article' && arg) return articleView(arg);
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
