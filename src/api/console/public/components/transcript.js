import { h } from '../dom.js';
import { formatDuration, humanize } from '../format.js';

/** Index of the line playing at `ms`: the last line that started at or before it (-1: none yet). */
export function currentLineIndex(offsets, ms) {
  let low = 0;
  let high = offsets.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] <= ms) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * The transcript, following the audio player: the line being spoken is highlighted (and kept in
 * view), and choosing a line (click, Enter or Space) seeks the recording there and plays.
 */
export function transcriptView(lines, audio) {
  const timed = lines.filter((line) => line.offsetMs !== null);
  const offsets = timed.map((line) => line.offsetMs);
  const items = lines.map((line) => {
    const label = h(
      'span',
      { class: 'speaker' },
      line.role === 'user' ? 'Caller' : line.role === 'assistant' ? 'Agent' : humanize(line.role),
    );
    const at = h(
      'span',
      { class: 'at mono' },
      line.offsetMs === null ? '' : formatDuration(line.offsetMs),
    );
    const text = h(
      'span',
      { class: 'text' },
      line.text,
      line.interrupted ? h('em', {}, ' (interrupted)') : null,
    );
    const content = [at, label, text];
    const seekable = audio && line.offsetMs !== null;
    const body = seekable
      ? h(
          'button',
          {
            type: 'button',
            class: 'line',
            'aria-label': `Play from ${formatDuration(line.offsetMs)}: ${line.text}`,
            dataset: { offsetMs: line.offsetMs },
            onclick: () => {
              audio.currentTime = line.offsetMs / 1000;
              audio.play().catch(() => {});
            },
          },
          content,
        )
      : h('div', { class: 'line' }, content);
    return h('li', { class: `turn role-${line.role}` }, body);
  });
  const timedItems = items.filter((_, i) => lines[i].offsetMs !== null);
  const list = h('ol', { class: 'transcript', 'aria-label': 'Transcript' }, items);

  if (audio) {
    let current = -1;
    const follow = () => {
      const index = currentLineIndex(offsets, audio.currentTime * 1000);
      if (index === current) return;
      timedItems[current]?.classList.remove('current');
      timedItems[current]?.removeAttribute('aria-current');
      current = index;
      const item = timedItems[current];
      if (!item) return;
      item.classList.add('current');
      item.setAttribute('aria-current', 'true');
      if (!audio.paused) item.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    };
    audio.addEventListener('timeupdate', follow);
    audio.addEventListener('seeked', follow);
  }
  return list;
}
