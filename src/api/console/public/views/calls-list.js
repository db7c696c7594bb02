import { api } from '../api.js';
import { h, render } from '../dom.js';
import { dayToIso, formatDateTime, formatDuration, humanize, vehicleLabel } from '../format.js';
import { CALL_OUTCOMES } from '../vocabulary.js';

const FILTERS = ['from', 'to', 'outcome', 'vin', 'q'];
const PAGE_SIZE = 25;

/** The address for a filtered page; `cursors` is the stack of page cursors (for "Newer"). */
function listHash(filters, cursors = []) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (filters[key]) params.set(key, filters[key]);
  if (cursors.length) params.set('pages', cursors.join(','));
  const query = params.toString();
  return `#/calls${query ? `?${query}` : ''}`;
}

function field(id, label, input) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function filterForm(filters) {
  const input = (id, attrs) => h('input', { id, name: id, value: filters[id] ?? '', ...attrs });
  const outcome = h(
    'select',
    { id: 'outcome', name: 'outcome' },
    h('option', { value: '' }, 'Any outcome'),
    CALL_OUTCOMES.map((o) =>
      h('option', { value: o, selected: filters.outcome === o }, humanize(o)),
    ),
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter calls' },
    field('from', 'From', input('from', { type: 'date' })),
    field('to', 'To', input('to', { type: 'date' })),
    field('outcome', 'Outcome', outcome),
    field(
      'vin',
      'VIN',
      input('vin', {
        type: 'text',
        maxlength: 17,
        pattern: '[A-HJ-NPR-Za-hj-npr-z0-9]{17}',
        title: '17 characters',
        autocomplete: 'off',
        spellcheck: 'false',
      }),
    ),
    field('q', 'Summary contains', input('q', { type: 'search', autocomplete: 'off' })),
    h(
      'div',
      { class: 'filter-actions' },
      h('button', { type: 'submit' }, 'Apply'),
      h('a', { href: '#/calls', class: 'button-quiet' }, 'Reset'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = Object.fromEntries(FILTERS.map((k) => [k, String(data.get(k) ?? '').trim()]));
    window.location.hash = listHash(next);
  });
  return form;
}

function outcomeBadge(outcome) {
  return h(
    'span',
    { class: `badge outcome-${outcome ?? 'none'}` },
    humanize(outcome ?? 'in progress'),
  );
}

function callRow(call) {
  const href = `#/calls/${encodeURIComponent(call.id)}`;
  return h(
    'tr',
    { dataset: { callId: call.id } },
    h('td', { 'data-label': 'Time' }, h('a', { href }, formatDateTime(call.startedAt))),
    h('td', { 'data-label': 'Caller', class: 'mono' }, call.callerNumber ?? humanize(call.channel)),
    h('td', { 'data-label': 'Duration' }, formatDuration(call.durationMs)),
    h('td', { 'data-label': 'Outcome' }, outcomeBadge(call.outcome)),
    h(
      'td',
      { 'data-label': 'Vehicle' },
      h(
        'div',
        {},
        call.vin ? h('span', { class: 'mono' }, call.vin) : '—',
        call.vehicle ? h('div', { class: 'muted' }, vehicleLabel(call.vehicle)) : null,
      ),
    ),
    h('td', { 'data-label': 'Summary', class: 'summary-cell' }, call.summary ?? '—'),
    h(
      'td',
      { 'data-label': 'Tags' },
      h('div', {}, call.tags.length ? call.tags.map((t) => h('span', { class: 'tag' }, t)) : '—'),
    ),
  );
}

/** The calls list with filters (kept in the address, so back/forward and links work) and paging. */
export async function showCallsList({ params }) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? '']));
  const cursors = (params.get('pages') ?? '').split(',').filter(Boolean);
  const page = await api('/api/calls', {
    query: {
      from: dayToIso(filters.from),
      to: dayToIso(filters.to, true),
      outcome: filters.outcome,
      vin: filters.vin?.toUpperCase(),
      q: filters.q,
      limit: PAGE_SIZE,
      cursor: cursors.at(-1),
    },
  });
  const table = h(
    'table',
    { class: 'calls' },
    h('caption', { class: 'visually-hidden' }, 'Calls, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Time', 'Caller', 'Duration', 'Outcome', 'Vehicle', 'Summary', 'Tags'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h('tbody', {}, page.items.map(callRow)),
  );
  const newer = cursors.length
    ? h('a', { class: 'button-quiet', href: listHash(filters, cursors.slice(0, -1)) }, '← Newer')
    : null;
  const older = page.nextCursor
    ? h(
        'a',
        { class: 'button-quiet', href: listHash(filters, [...cursors, page.nextCursor]) },
        'Older →',
      )
    : null;
  render(
    h('h1', {}, 'Calls'),
    filterForm(filters),
    page.items.length
      ? h('div', { class: 'table-wrap' }, table)
      : h('p', { class: 'empty' }, 'No calls match these filters.'),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Pages' },
      newer,
      h('span', { class: 'muted' }, `Page ${cursors.length + 1}`),
      older,
    ),
  );
}
