import { api } from '../api.js';
import { latencyChart } from '../components/latency-chart.js';
import { transcriptView } from '../components/transcript.js';
import { h, render, toast } from '../dom.js';
import { formatDateTime, formatDuration, humanize, vehicleLabel } from '../format.js';

function section(title, ...content) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function definitionList(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}

const json = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2));

function player(call, me) {
  const recording = call.recording;
  if (!recording)
    return { element: h('p', { class: 'muted' }, 'No recording for this call.'), audio: null };
  if (recording.status !== 'uploaded') {
    return {
      element: h('p', { class: 'muted' }, `Recording ${humanize(recording.status)}.`),
      audio: null,
    };
  }
  const audio = h('audio', {
    id: 'player',
    controls: true,
    preload: 'metadata',
    src: recording.audioUrl,
    'aria-label': 'Call recording',
  });
  const actions = h('div', { class: 'player-actions' });
  if (me.permissions.downloadRecordings) {
    actions.append(
      h('a', { class: 'button', href: recording.downloadUrl, download: '' }, 'Download'),
    );
  }
  if (me.permissions.deleteRecordings) {
    const remove = h(
      'button',
      { type: 'button', class: 'button-danger', id: 'delete-recording' },
      'Delete recording',
    );
    remove.addEventListener('click', async () => {
      if (!window.confirm('Delete this recording for good? The transcript stays.')) return;
      remove.disabled = true;
      try {
        await api(`/api/recordings/${encodeURIComponent(recording.id)}`, { method: 'DELETE' });
        toast('Recording deleted.');
        await showCallDetail(call.id, { me });
      } catch (error) {
        toast(error.message);
        remove.disabled = false;
      }
    });
    actions.append(remove);
  }
  return { element: h('div', { class: 'player' }, audio, actions), audio };
}

function timeline(call) {
  const start = Date.parse(call.startedAt);
  return h(
    'ol',
    { class: 'timeline' },
    call.transitions.map((t) =>
      h(
        'li',
        {},
        h('span', { class: 'at mono' }, `+${formatDuration(Date.parse(t.at) - start)}`),
        h('span', { class: 'state' }, humanize(t.to)),
        h('span', { class: 'muted' }, t.reason),
      ),
    ),
  );
}

function toolCalls(call) {
  if (!call.toolCalls.length) return h('p', { class: 'muted' }, 'No tools were called.');
  return h(
    'ul',
    { class: 'tool-calls' },
    call.toolCalls.map((tool) =>
      h(
        'li',
        {},
        h(
          'details',
          {},
          h(
            'summary',
            {},
            h('span', { class: 'mono' }, tool.name),
            tool.offsetMs !== null
              ? h('span', { class: 'muted' }, ` · at ${formatDuration(tool.offsetMs)}`)
              : null,
            tool.durationMs !== null
              ? h('span', { class: 'muted' }, ` · ${tool.durationMs} ms`)
              : null,
            tool.error ? h('span', { class: 'badge outcome-failed' }, 'error') : null,
          ),
          h('h3', {}, 'Arguments'),
          json(tool.arguments),
          h('h3', {}, tool.error ? 'Error' : 'Result'),
          tool.error ? h('pre', { class: 'json' }, tool.error) : json(tool.output),
        ),
      ),
    ),
  );
}

function vehicleCard(call) {
  const v = call.vehicle;
  if (!v && !call.vin) return h('p', { class: 'muted' }, 'No vehicle discussed.');
  return definitionList([
    ['VIN', h('span', { class: 'mono' }, v?.vin ?? call.vin)],
    ['Vehicle', vehicleLabel(v)],
    ['In stock', v ? (v.inInventory ? 'Yes' : 'No') : null],
    ['Price', v?.price ? `$${Number(v.price).toLocaleString()}` : null],
    ['Status', v?.status ? humanize(v.status) : null],
  ]);
}

function summaryCard(call) {
  const summary = call.summaryDetails;
  if (summary.status === 'pending')
    return h('p', { class: 'muted' }, 'The summary is being written.');
  if (summary.status === 'failed')
    return h('p', { class: 'error' }, `No summary: ${summary.error ?? 'it failed'}.`);
  return [
    h('p', { class: 'summary-text' }, summary.text ?? 'No summary.'),
    definitionList([
      ['Intent', summary.intent && humanize(summary.intent)],
      ['Sentiment', summary.sentiment && humanize(summary.sentiment)],
      [
        'Follow-up',
        summary.followUpNeeded === null ? null : summary.followUpNeeded ? 'Needed' : 'Not needed',
      ],
      [
        'Tags',
        summary.tags.length ? summary.tags.map((t) => h('span', { class: 'tag' }, t)) : null,
      ],
    ]),
  ];
}

/** One call: recording with a transcript that follows it, timeline, tools, latency, vehicle, summary. */
export async function showCallDetail(id, { me }) {
  const call = await api(`/api/calls/${encodeURIComponent(id)}`);
  const { element: playerElement, audio } = player(call, me);
  render(
    h('p', {}, h('a', { href: '#/calls', class: 'back' }, '← All calls')),
    h('h1', {}, `Call ${formatDateTime(call.startedAt)}`),
    definitionList([
      ['Caller', h('span', { class: 'mono' }, call.callerNumber ?? humanize(call.channel))],
      ['Name', call.customerName],
      ['Duration', formatDuration(call.durationMs)],
      ['Outcome', humanize(call.outcome ?? 'in progress')],
      ['Ended because', call.endReason],
      ['Transferred to', call.transfer.target],
    ]),
    h(
      'div',
      { class: 'detail-grid' },
      h(
        'div',
        { class: 'detail-main' },
        section('Recording', playerElement),
        section(
          'Transcript',
          call.transcript.length
            ? transcriptView(call.transcript, audio)
            : h('p', { class: 'muted' }, 'No transcript.'),
        ),
        section('Latency per turn', latencyChart(call.turnMetrics)),
        section('Tool calls', toolCalls(call)),
      ),
      h(
        'div',
        { class: 'detail-side' },
        section('Summary', summaryCard(call)),
        section('Vehicle', vehicleCard(call)),
        section('State timeline', timeline(call)),
      ),
    ),
  );
}
