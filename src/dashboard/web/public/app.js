// The dashboard page: plain DOM, no framework. Everything comes from the JSON API and one
// EventSource per open session (the journal, resumable by seq; see docs/dashboard.md).
const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (sel) => document.querySelector(sel);
const MAX_ROWS = 3000; // older rows leave the DOM (the journal keeps them)

async function api(path, init = {}) {
  const res = await fetch(`/api${path}`, {
    ...init,
    headers: { 'x-orchestrate-token': token, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok && !(res.status === 504 && body.result)) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}
const post = (path, body) => api(path, { method: 'POST', body: JSON.stringify(body) });
const say = (text) => ($('#status').textContent = text);
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== null) e.append(c);
  return e;
}
const money = (n) => `$${(n ?? 0).toFixed(4)}`;
// a cost of null is unknown (a model without a price): said so, with what is known, never $0
const cost = (usd, known) => (usd === null || usd === undefined ? `unknown (at least ${money(known)})` : money(usd));
/** The session's spend against its ceilings (GET /sessions/:id `spend`), as `show` words it. */
function spendLine(sp) {
  const c = sp.ceiling;
  return (
    `${cost(sp.total.costUsd, sp.total.knownCostUsd)}${c.costUsd !== null ? ` of $${c.costUsd} ceiling` : ''} · ` +
    `${sp.total.tokens} tokens${c.tokens !== null ? ` of ${c.tokens} ceiling` : ''}`
  );
}
const dur = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

// ---- state of the open session ----
let current; // { id, es, lastSeq, agents: Map, rows, pending: [], ended }
let info = {};

function agentState(a, e) {
  const review = e.review !== undefined;
  switch (e.type) {
    case 'assignment.started':
      Object.assign(a, { state: 'starting', assignment: e.assignment, since: Date.parse(e.time) });
      break;
    case 'agent.launched':
      Object.assign(a, { state: review ? `reviewing #${e.review}` : 'running', since: Date.parse(e.time), assignment: e.assignment });
      break;
    case 'agent.paused':
      a.state = 'paused';
      break;
    case 'agent.resumed':
      a.state = 'running';
      break;
    case 'recovery.parked':
      a.state = `parked until ${String(e.until).slice(11, 19)}`;
      break;
    case 'agent.exited':
      a.state = review ? 'review done' : String(e.status);
      break;
    case 'agent.usage':
      a.inputTokens += e.inputTokens ?? 0;
      a.outputTokens += e.outputTokens ?? 0;
      // no cost on a usage report: its model has no price, so the agent's cost is unknown
      if (typeof e.costUsd === 'number') a.costUsd += e.costUsd;
      else a.unpriced = (a.unpriced ?? 0) + 1;
      break;
    default:
      break;
  }
}

function onEntry(e, text) {
  if (e.seq <= current.lastSeq) return; // a duplicate after a reconnect: never shown twice
  current.lastSeq = e.seq;
  document.body.dataset.lastSeq = String(e.seq);
  if (e.agent && e.type !== 'agent.probe') {
    const a = current.agents.get(e.agent) ?? { state: 'waiting', inputTokens: 0, outputTokens: 0, costUsd: 0, last: '' };
    agentState(a, e);
    if (text && /^agent\.(message|tool_call|report)$/.test(e.type)) a.last = text;
    current.agents.set(e.agent, a);
  }
  current.pending.push([e, text]);
  if (/^(assignment|review|safety|recovery|session|control|budget)\.|^agent\.(launched|exited|paused|resumed|usage)$/.test(e.type))
    refreshSoon();
  if (/confirm_requested|escalated/.test(e.type)) loadQuestions();
  if (e.type.startsWith('copy.')) diffSoon();
  if (e.type === 'session.completed') current.ended = true;
  scheduleDraw();
}

let drawQueued = false;
function scheduleDraw() {
  if (drawQueued) return;
  drawQueued = true;
  // rAF pauses in a hidden tab; a timer keeps the log current there too
  (document.hidden ? (f) => setTimeout(f, 250) : requestAnimationFrame)(() => {
    drawQueued = false;
    draw();
  });
}

function draw() {
  if (!current) return;
  const list = $('#events');
  const filter = $('#e-filter').value.trim();
  const frag = document.createDocumentFragment();
  for (const [e, text] of current.pending.splice(0)) {
    if (filter && !(e.agent === filter || e.type.startsWith(filter))) continue;
    // entries that say nothing new (agent.usage) are kept but hidden, so the list is the whole journal
    const cls =
      !text && e.type === 'agent.usage'
        ? 'noise'
        : e.type.startsWith('safety')
          ? 'safety'
          : e.type === 'agent.exited' && e.status !== 'succeeded'
            ? 'bad'
            : '';
    frag.append(
      el(
        'li',
        { 'data-seq': String(e.seq), 'data-type': e.type, class: cls },
        el('span', { class: 't' }, `${e.time.slice(11, 19)} #${e.seq} `),
        e.agent ? el('span', { class: 'a' }, `${e.agent}${e.review !== undefined ? ' (review)' : ''} `) : '',
        text || e.type,
      ),
    );
  }
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.append(frag);
  while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('#e-count').textContent = `(${current.lastSeq})`;
  drawAgents();
}

// each agent's card is made once and then only its text changes: buttons replaced under the
// pointer many times a second (a busy agent) would swallow the person's clicks
function drawAgents() {
  const box = $('#agents');
  for (const [name, a] of current.agents) {
    let card = [...box.children].find((c) => c.dataset.agent === name);
    if (!card) {
      card = el(
        'div',
        { class: 'card', 'data-agent': name },
        el('div', {}, el('b', {}, name), ' ', el('span', { class: 'state' }), el('span', { class: 'dim elapsed' })),
        el('div', { class: 'dim usage' }),
        el('div', { class: 'last' }),
        el(
          'div',
          { class: 'row' },
          el('button', { onclick: () => control('pause', name) }, 'Pause'),
          el('button', { onclick: () => control('resume', name) }, 'Resume'),
          el('button', { onclick: () => control('review', name) }, 'Review'),
        ),
      );
      box.append(card);
    }
    const st = card.querySelector('.state');
    st.className = `state st-${a.state.split(' ')[0]}`;
    st.dataset.state = a.state;
    st.textContent = a.state;
    card.querySelector('.elapsed').textContent = a.since && !current.ended ? ` ${dur(Date.now() - a.since)}` : '';
    const spent = a.unpriced ? cost(null, a.costUsd) : money(a.costUsd);
    card.querySelector('.usage').textContent = `${a.assignment ?? ''} · ${a.inputTokens + a.outputTokens} tokens · ${spent}`;
    const last = card.querySelector('.last');
    last.textContent = a.last || '—';
    last.title = a.last;
  }
  const sel = $('#c-agent');
  const have = new Set([...sel.options].map((o) => o.value));
  for (const name of current.agents.keys()) if (!have.has(name)) sel.append(el('option', { value: name }, name));
}

let refreshTimer;
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void loadDetails();
  }, 400);
}

async function loadDetails() {
  if (!current) return;
  const id = current.id;
  const d = await api(`/sessions/${id}`).catch((err) => (say(err.message), undefined));
  if (!d || current?.id !== id) return;
  const s = d.session ?? {};
  $('#s-task').textContent = s.task ?? d.summary?.task ?? id;
  $('#s-id').textContent = id;
  const badge = $('#s-state');
  badge.textContent = d.state + (d.summary ? ` · ${d.summary.outcome} · exit ${d.summary.exitCode}` : '');
  badge.className = `badge s-${d.state}`;
  document.body.dataset.state = d.state;
  const done = d.assignments.filter((a) => !['pending', 'running'].includes(a.status)).length;
  $('#s-progress').textContent = `${done}/${d.assignments.length} assignments · ${spendLine(d.spend)}`;
  drawSpend(d.spend);
  $('#controls').hidden = d.state !== 'running';
  const plan = d.plan;
  $('#plan').replaceChildren(
    plan ? el('div', { class: 'dim' }, `tier ${plan.tier?.name ?? '?'}: ${plan.tier?.reason ?? ''}`) : '',
    el(
      'table',
      {},
      el('tr', {}, ...['assignment', 'agent', 'weight', 'status', 'time', 'files'].map((h) => el('th', {}, h))),
      ...d.assignments.map((a) =>
        el(
          'tr',
          { 'data-assignment': a.id },
          el('td', {}, a.id, el('div', { class: 'dim' }, a.title ?? '')),
          el('td', {}, a.agent),
          el('td', {}, a.weight !== undefined ? `${Math.round(a.weight * 100)}%` : ''),
          el('td', { class: `st-${a.status}` }, a.status, a.reason ? el('div', { class: 'dim' }, a.reason) : ''),
          el('td', {}, a.durationMs !== undefined ? dur(a.durationMs) : ''),
          el(
            'td',
            { class: 'mono' },
            a.filesChanged
              ? [
                  ...a.filesChanged.added.map((f) => `+${f}`),
                  ...a.filesChanged.modified.map((f) => `~${f}`),
                  ...a.filesChanged.deleted.map((f) => `-${f}`),
                ].join('\n')
              : '',
          ),
        ),
      ),
    ),
  );
  const f = d.facts;
  $('#reviews').replaceChildren(
    f.reviews.length
      ? el(
          'table',
          {},
          el('tr', {}, ...['#', 'of', 'trigger', 'reviewer (tier)', 'verdict', 'issues', 'decision'].map((h) => el('th', {}, h))),
          ...f.reviews.map((r) =>
            el(
              'tr',
              { 'data-review': String(r.review) },
              el('td', {}, String(r.review)),
              el('td', {}, `${r.author ?? ''} ${r.assignment ?? ''}`),
              el('td', {}, r.trigger ?? ''),
              el('td', {}, `${r.reviewer ?? '?'} (${r.tier ?? '?'}${r.degraded ? ', degraded' : ''})`),
              el('td', {}, r.verdict ?? '', r.summary ? el('div', { class: 'dim' }, r.summary) : ''),
              el('td', {}, String(r.issues)),
              el('td', {}, r.decision ? `${r.decision} (rule ${r.rule})` : ''),
            ),
          ),
        )
      : el('div', { class: 'dim' }, 'none yet'),
  );
  const factRows = [
    ...f.violations.map((v) => ['violation', v]),
    ...f.confirmations.map((v) => ['confirmation', v]),
    ...f.limits.map((v) => ['limit', v]),
    ...f.recoveries.map((v) => ['recovery', v]),
    ...f.blockers.map((v) => ['blocker', v]),
    ...f.control.map((v) => ['control', v]),
  ];
  $('#facts').replaceChildren(
    factRows.length
      ? el(
          'table',
          {},
          ...factRows.map(([kind, v]) =>
            el(
              'tr',
              {},
              el('td', {}, kind),
              el('td', {}, v.agent ?? ''),
              el('td', { class: 'mono' }, v.command ?? v.blocker ?? v.detail ?? v.message ?? v.reason ?? JSON.stringify(v)),
              el('td', {}, v.answer ? `${v.answer} by ${v.by}` : v.rerun ? `fix: ${v.rerun}` : (v.result ?? '')),
            ),
          ),
        )
      : el('div', { class: 'dim' }, 'none'),
  );
  $('#summary').replaceChildren(
    d.summary
      ? el(
          'div',
          {},
          el('h3', {}, 'Summary'),
          el('div', {}, `${d.summary.outcome}, exit code ${d.summary.exitCode}`),
          el('div', { class: 'dim' }, d.summary.reason ?? ''),
        )
      : '',
  );
  if (d.state !== 'running') $('#questions').replaceChildren();
}

/** Per-agent and total spend against the ceilings, and why a ceiling stopped the session. */
function drawSpend(sp) {
  const c = sp.ceiling;
  document.body.dataset.spendReached = sp.reached ?? '';
  $('#spend').replaceChildren(
    el(
      'table',
      {},
      el('tr', {}, ...['', 'tokens', 'cost'].map((h) => el('th', {}, h))),
      ...Object.entries(sp.agents).map(([agent, a]) =>
        el(
          'tr',
          { 'data-agent': agent },
          el('td', {}, agent),
          el('td', {}, String(a.tokens)),
          el('td', {}, cost(a.costUsd, a.knownCostUsd)),
        ),
      ),
      el(
        'tr',
        { class: 'total' },
        el('td', {}, 'total'),
        el('td', {}, `${sp.total.tokens}${c.tokens !== null ? ` of ${c.tokens} ceiling` : ''}`),
        el('td', {}, `${cost(sp.total.costUsd, sp.total.knownCostUsd)}${c.costUsd !== null ? ` of $${c.costUsd} ceiling` : ''}`),
      ),
    ),
    sp.reached ? el('div', { class: 'bad reached' }, `ceiling reached: ${sp.reason ?? sp.reached}`) : '',
  );
}

// ---- the session copy's changes (GET /sessions/:id/diff: the code of `orchestrate diff`) ----
let diffTimer;
function diffSoon() {
  if (diffTimer) return;
  diffTimer = setTimeout(() => {
    diffTimer = undefined;
    void loadDiff();
  }, 1000);
}

const MAX_COLOURED = 5000; // lines; a longer patch is shown as plain text
async function loadDiff() {
  if (!current) return;
  const id = current.id;
  const d = await api(`/sessions/${id}/diff`).catch((err) => ({ error: err.message }));
  if (current?.id !== id) return;
  if (d.error) {
    $('#diff-stat-line').textContent = `(${d.error})`;
    $('#diff-stat').textContent = '';
    $('#diff-patch').replaceChildren();
    $('#diff-refused').replaceChildren();
    return;
  }
  const cut = d.text.indexOf('\n\n');
  const stat = cut === -1 ? d.text : d.text.slice(0, cut);
  const patch = cut === -1 ? '' : d.text.slice(cut + 2);
  document.body.dataset.diff = d.to;
  $('#diff-stat-line').textContent =
    `${stat.split('\n').at(-1)?.trim() ?? ''}${d.truncated ? ' (cut; orchestrate diff shows it whole)' : ''}`;
  $('#diff-stat').textContent = stat;
  $('#diff-refused').replaceChildren(...d.refused.map((r) => el('li', {}, `not applied: ${r.path}: ${r.why}`)));
  const lines = patch.split('\n');
  const box = $('#diff-patch');
  if (lines.length > MAX_COLOURED) return void (box.textContent = patch);
  const cls = (l) =>
    l.startsWith('+++') || l.startsWith('---')
      ? ''
      : l.startsWith('+')
        ? 'add'
        : l.startsWith('-')
          ? 'del'
          : l.startsWith('@@')
            ? 'hunk'
            : '';
  box.replaceChildren(...lines.map((l) => el('span', { class: cls(l) }, `${l}\n`)));
}

async function loadQuestions() {
  // any running session's questions: this process's own, or answered through the session's control files
  if (!current || current.ended) return;
  const id = current.id;
  const qs = await api(`/sessions/${id}/questions`).catch(() => []);
  if (current?.id !== id) return;
  $('#questions').replaceChildren(
    ...qs.map((q) =>
      el(
        'div',
        { class: 'question', 'data-question': q.id, 'data-kind': q.kind },
        el('b', {}, q.question),
        q.detail ? el('pre', { class: 'mono' }, q.detail) : '',
        el(
          'div',
          { class: 'row' },
          el('button', { class: 'allow', onclick: () => answer(q.id, 'yes') }, q.kind === 'confirm' ? 'Allow once' : 'Yes'),
          el('button', { class: 'danger', onclick: () => answer(q.id, 'no') }, q.kind === 'confirm' ? 'Deny' : 'No'),
        ),
      ),
    ),
  );
}

async function answer(qid, reply) {
  try {
    await post(`/sessions/${current.id}/questions/${qid}`, { answer: reply });
    say(`answered ${reply}`);
  } catch (err) {
    say(err.message);
  }
  void loadQuestions();
}

async function control(action, agent) {
  if (!current) return;
  if (action === 'stop' && !confirm('Stop the session? Its agents get SIGTERM.')) return;
  say(`${action}…`);
  try {
    const r = await post(`/sessions/${current.id}/control`, { action, ...(agent ? { agent } : {}) });
    say(`${r.action}${r.agent ? ` (${r.agent})` : ''}: ${r.result}: ${r.message}`);
  } catch (err) {
    say(err.message);
  }
}

function open(id) {
  if (current?.id === id) return;
  current?.es.close();
  $('#session').hidden = false;
  $('#events').replaceChildren();
  $('#agents').replaceChildren();
  $('#questions').replaceChildren();
  for (const sel of ['#diff-stat', '#diff-patch', '#diff-refused', '#diff-stat-line']) $(sel).replaceChildren();
  delete document.body.dataset.diff;
  $('#c-agent').replaceChildren(el('option', { value: '' }, 'all agents'));
  for (const li of document.querySelectorAll('#sessions li')) li.classList.toggle('sel', li.dataset.id === id);
  current = { id, lastSeq: 0, agents: new Map(), pending: [], ended: false };
  document.body.dataset.session = id;
  delete document.body.dataset.lastSeq;
  delete document.body.dataset.ended;
  // from seq 0: a reload shows the whole session; EventSource itself resends Last-Event-ID on a reconnect
  const es = new EventSource(`/api/sessions/${id}/events?token=${encodeURIComponent(token)}`);
  current.es = es;
  es.addEventListener('entry', (m) => {
    const nl = m.data.indexOf('\n');
    onEntry(JSON.parse(nl === -1 ? m.data : m.data.slice(0, nl)), nl === -1 ? '' : m.data.slice(nl + 1));
  });
  es.addEventListener('end', () => {
    es.close();
    current.ended = true;
    document.body.dataset.ended = 'true';
    void loadDetails();
    void loadSessions();
    void loadDiff();
  });
  void loadDetails();
  void loadQuestions();
  void loadDiff();
}

async function loadSessions() {
  const list = await api('/sessions').catch((err) => (say(err.message), []));
  $('#sessions').replaceChildren(
    ...list.map((s) =>
      el(
        'li',
        {
          'data-id': s.id,
          class: s.id === current?.id ? 'sel' : '',
          onclick: () => {
            location.hash = `#/s/${s.id}`;
          },
        },
        el('span', { class: 'task' }, s.task ?? s.id),
        el('span', { class: 'mono dim' }, `${s.id} `),
        el('span', { class: `s-${s.state}` }, s.state),
        s.outcome ? el('span', { class: 'dim' }, ` · ${s.outcome}`) : '',
      ),
    ),
  );
  return list;
}

function route(list) {
  const m = /^#\/s\/([\w-]+)$/.exec(location.hash);
  const id = m?.[1] ?? info.live ?? list[0]?.id;
  if (id) open(id);
}

async function start(ev) {
  ev.preventDefault();
  const task = $('#start-task').value.trim();
  if (!task) return;
  const agents = $('#start-agents').value.trim();
  say('starting…');
  try {
    const r = await post('/sessions', { task, ...(agents ? { agents } : {}), ...($('#start-noreview').checked ? { review: false } : {}) });
    say(`started ${r.id}`);
    await loadSessions();
    location.hash = `#/s/${r.id}`;
  } catch (err) {
    say(err.message);
  }
}

async function boot() {
  info = await api('/info').catch((err) => (say(err.message), {}));
  $('#workspace').textContent = info.workspace ?? '';
  $('#start').hidden = !info.canStart;
  $('#start').addEventListener('submit', start);
  for (const b of document.querySelectorAll('#controls button'))
    b.addEventListener('click', () => control(b.dataset.action, $('#c-agent').value || undefined));
  $('#e-filter').addEventListener('change', () => say('the filter applies to new events'));
  route(await loadSessions());
  addEventListener('hashchange', () => route([]));
  // the list and open questions change without a journal line of this page's session: look again now and then
  setInterval(() => {
    if (document.hidden) return;
    void loadSessions();
    // a run's dashboard learns its session's id a moment after it starts serving
    if (!info.live)
      void api('/info')
        .then((i) => {
          info = i;
          if (i.live && !current) route([]);
        })
        .catch(() => undefined);
  }, 5000);
  setInterval(() => {
    if (current && !current.ended) void loadQuestions();
  }, 1500);
  setInterval(() => {
    if (current && !current.ended) drawAgents();
  }, 1000);
}
void boot();
