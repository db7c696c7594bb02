import { h, s } from '../dom.js';

const STAGES = [
  { key: 'endOfUtteranceMs', label: 'End of utterance', className: 'eou' },
  { key: 'llmTtftMs', label: 'LLM first token', className: 'llm' },
  { key: 'ttsTtfbMs', label: 'TTS first byte', className: 'tts' },
];
const ROW = 26;
const LEFT = 56;
const RIGHT = 64;
const WIDTH = 640;

const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);

/**
 * Per-turn latency as stacked bars: how long after the caller stopped speaking the agent's voice
 * started, split into end-of-utterance detection, LLM first token and TTS first byte. A table
 * with the same numbers follows for screen readers and exact values.
 */
export function latencyChart(turns) {
  if (!turns.length) return h('p', { class: 'muted' }, 'No latency measured for this call.');
  const totals = turns.map((t) => STAGES.reduce((sum, stage) => sum + (t[stage.key] ?? 0), 0));
  const max = Math.max(...totals, 1);
  const scale = (WIDTH - LEFT - RIGHT) / max;
  const height = turns.length * ROW + 8;
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${height}`,
      class: 'latency-chart',
      role: 'img',
      'aria-label': `Latency per turn for ${turns.length} turns; the table below has the values.`,
    },
    turns.map((turn, i) => {
      const y = i * ROW + 4;
      let x = LEFT;
      const bars = STAGES.map((stage) => {
        const value = turn[stage.key];
        if (value === null || value === undefined || value <= 0) return null;
        const width = Math.max(1, value * scale);
        const rect = s(
          'rect',
          { x, y, width, height: ROW - 8, class: `bar ${stage.className}` },
          s('title', {}, `Turn ${i + 1} · ${stage.label}: ${ms(value)}`),
        );
        x += width;
        return rect;
      });
      return s(
        'g',
        {},
        s('text', { x: 0, y: y + ROW / 2, class: 'axis-label' }, `Turn ${i + 1}`),
        bars,
        s('text', { x: x + 6, y: y + ROW / 2, class: 'value-label' }, ms(totals[i])),
      );
    }),
  );
  const legend = h(
    'ul',
    { class: 'legend' },
    STAGES.map((stage) =>
      h('li', {}, h('span', { class: `swatch ${stage.className}` }), stage.label),
    ),
  );
  const table = h(
    'details',
    {},
    h('summary', {}, 'Latency table'),
    h(
      'table',
      { class: 'compact' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Turn'),
          STAGES.map((st) => h('th', { scope: 'col' }, st.label)),
          h('th', { scope: 'col' }, 'Sum'),
        ),
      ),
      h(
        'tbody',
        {},
        turns.map((turn, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, String(i + 1)),
            STAGES.map((st) => h('td', {}, ms(turn[st.key]))),
            h('td', {}, ms(totals[i])),
          ),
        ),
      ),
    ),
  );
  return h('div', { class: 'latency' }, legend, svg, table);
}
