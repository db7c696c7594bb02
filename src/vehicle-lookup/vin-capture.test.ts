import { describe, expect, it } from 'vitest';
import { VinCapture } from './vin-capture.js';

const HONDA = '1HGCM82633A004352';
const newCapture = (): VinCapture => new VinCapture({ currentYear: 2026 });

function run(turns: readonly string[], capture = newCapture()) {
  return turns.map((t) => capture.hear(t));
}

describe('VinCapture', () => {
  it('accumulates chunks over several turns', () => {
    const results = run(['it starts 1HG', 'then C M 8 2 6', '3 3 A 0 0 4', '3 5 2']);
    expect(results.map((r) => [r.status, r.collected, r.missing])).toEqual([
      ['incomplete', '1HG', 14],
      ['incomplete', '1HGCM826', 9],
      ['incomplete', '1HGCM82633A004', 3],
      ['valid', HONDA, 0],
    ]);
    expect(results[0]?.question).toBe(
      'I have 3 of 17 characters so far, ending one H G. What comes next?',
    );
    expect(results[3]).toMatchObject({ vin: HONDA, action: 'added', confirmed: false });
  });

  it('ignores chatter turns', () => {
    const capture = newCapture();
    capture.hear('one H G C M eight');
    const r = capture.hear('hold on, let me get my glasses');
    expect([r.action, r.collected]).toEqual(['ignored', '1HGCM8']);
  });

  it('drops the anchor a caller repeats when continuing', () => {
    const r = run([
      'one H G C M eight two six three',
      'two six three three A zero zero four three five two',
    ]);
    expect(r[1]).toMatchObject({ status: 'valid', vin: HONDA });
  });

  it('applies "the last one was a nine" style corrections', () => {
    const r = run([
      'one H G C M eight two six three three A',
      'zero zero four three five nine',
      'no, the last one was a two',
    ]);
    expect(r[1]?.vin).toBeNull();
    expect(r[2]).toMatchObject({ status: 'valid', vin: HONDA, action: 'corrected' });
  });

  it.each([
    ['the fifth one is M'],
    ['the 5th character should be M as in Mike'],
    ['number five is an M'],
    ['change the N to an M'],
    ['it is M not N'],
  ])('applies a positional or replacement correction: %s', (fix) => {
    const r = run(['one H G C N eight two six three three A zero zero four three five two', fix]);
    expect(r[1]).toMatchObject({ status: 'valid', vin: HONDA, action: 'corrected' });
  });

  it('asks a targeted question and resolves it from "M as in Mike"', () => {
    const r = run([
      'one H G C N eight two six three three A zero zero four three five two',
      'M as in Mike',
    ]);
    expect(r[0]).toMatchObject({
      status: 'ambiguous',
      question: 'Was the 5th character M as in mike or N as in november?',
    });
    expect(r[1]).toMatchObject({ status: 'valid', vin: HONDA, action: 'answered' });
  });

  it('resolves a question from "the first one" and narrows with follow-ups', () => {
    const capture = newCapture();
    const first = capture.hear(
      'one H G C N eight two six three three A zero zero four three five two',
    );
    expect(first.candidates.length).toBeGreaterThan(1);
    expect(capture.hear('the first one')).toMatchObject({ status: 'valid', vin: HONDA });
  });

  it('does not take a turn that reads on as the answer to its question', () => {
    const capture = newCapture();
    capture.hear('one H G C N eight two six three three A zero zero four three five two');
    // "nine" is not one of the offered characters (M or N): not an answer.
    const r = capture.hear('nine, sorry, it is a little faded');
    expect(r.vin).toBeNull();
    expect(capture.hear('M as in Mike')).toMatchObject({ vin: HONDA });
  });

  it('handles yes and no to a yes/no question', () => {
    // Only one candidate: "Was the 17th character ...?"-style question.
    const capture = newCapture();
    const asked = capture.hear(
      'one H G C M eight two six three three A zero zero four three five two B',
    );
    expect(asked.status).toBe('ambiguous');
    const again = VinCapture.fromJSON(capture.toJSON());
    const no = again.hear('no');
    expect(no.vin).toBeNull();
  });

  it('confirms a VIN on "yes" after the read-back', () => {
    const capture = newCapture();
    capture.hear('one H G C M eight two six three three A zero zero four three five two');
    expect(capture.hear('yes, that is right')).toMatchObject({ confirmed: false });
    expect(capture.hear('yes')).toMatchObject({ confirmed: true, action: 'confirmed', vin: HONDA });
  });

  it('starts over on "scratch that, start over" and keeps what follows', () => {
    const r = run(['J H four K A two six', 'scratch that, start over. one H G C M eight']);
    expect(r[1]).toMatchObject({ action: 'added', collected: '1HGCM8' });
  });

  it('deletes the last characters on request', () => {
    const r = run(['one H G C M eight two', 'delete the last two']);
    expect(r[1]).toMatchObject({ action: 'removed', collected: '1HGCM' });
  });

  it('replaces everything when the whole VIN is read again', () => {
    const r = run([
      'J H four K A',
      'one H G C M eight two six three three A zero zero four three five two',
    ]);
    expect(r[1]).toMatchObject({ status: 'valid', vin: HONDA });
  });

  it('never reports a VIN for two mishearings across turns', () => {
    const r = run(['one H G C N eight two six three', 'three A zero zero four three nine two']);
    expect(r[1]?.vin).toBeNull();
  });

  it('round-trips through JSON mid-question and rejects malformed state', () => {
    const capture = newCapture();
    capture.hear('one H G C N eight two six three three A zero zero four three five two');
    const state = JSON.parse(JSON.stringify(capture.toJSON())) as unknown;
    const restored = VinCapture.fromJSON(state);
    expect(restored.toJSON()).toEqual(capture.toJSON());
    expect(restored.hear('M as in Mike')).toMatchObject({ status: 'valid', vin: HONDA });
    expect(() => VinCapture.fromJSON({ version: 2 })).toThrow(TypeError);
    expect(() => VinCapture.fromJSON(null)).toThrow(TypeError);
    expect(() =>
      VinCapture.fromJSON({
        version: 1,
        slots: [{ ch: 'O' }],
        pending: null,
        confirmed: false,
        currentYear: null,
      }),
    ).toThrow(TypeError);
  });
});
