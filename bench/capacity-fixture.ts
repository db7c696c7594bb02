/**
 * The caller audio of the capacity benchmark: three utterances synthesized with espeak-ng
 * (test/fixtures/audio/capacity-caller.wav, 16 kHz mono; regenerate with make-capacity-fixture.sh),
 * looped with pauses in which the agent answers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../src/config/paths.js';

export const FIXTURE_SAMPLE_RATE = 16000;

// PROJECT_ROOT, not import.meta.url: job processes run this module bundled into data/bench/.
const FIXTURE_DIR = `${PROJECT_ROOT}test/fixtures/audio/`;
const WAV_PATH = `${FIXTURE_DIR}capacity-caller.wav`;
const JSON_PATH = `${FIXTURE_DIR}capacity-caller.json`;

export interface Utterance {
  text: string;
  startMs: number;
  endMs: number;
}

/** One cycle of the caller's side: each utterance followed by a pause, and where the speech is. */
export interface CallerLoop {
  /** 16 kHz mono PCM of one cycle. */
  pcm: Int16Array;
  periodMs: number;
  utterances: Utterance[];
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the fixture cannot be used, or null when it can. */
export function fixtureProblem(): string | null {
  if (existsSync(WAV_PATH) && existsSync(JSON_PATH)) return null;
  const missing = ['espeak-ng', 'sox'].filter((c) => !hasCommand(c));
  return (
    `The caller audio fixture is missing (${WAV_PATH}).\n` +
    (missing.length > 0
      ? `Synthesizing it needs ${missing.join(' and ')}: apt-get install -y espeak-ng sox, then `
      : 'Synthesize it with ') +
    'test/fixtures/audio/make-capacity-fixture.sh'
  );
}

/** The 16-bit PCM samples of a mono WAV file (the `data` chunk). */
function readWavPcm(path: string): Int16Array {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path} is not a WAV file`);
  }
  let at = 12;
  let format: { channels: number; rate: number; bits: number } | null = null;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      format = {
        channels: buf.readUInt16LE(body + 2),
        rate: buf.readUInt32LE(body + 4),
        bits: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.bits !== 16) {
        throw new Error(`${path}: expected mono 16-bit PCM`);
      }
      if (format.rate !== FIXTURE_SAMPLE_RATE) {
        throw new Error(`${path}: expected ${FIXTURE_SAMPLE_RATE} Hz, got ${format.rate}`);
      }
      const samples = new Int16Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + i * 2);
      return samples;
    }
    at = body + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/**
 * The looped caller audio: every utterance followed by `pauseMs` of faint noise (a phone line is
 * never digitally silent). The pause is where the agent's reply goes.
 */
export function buildCallerLoop(pauseMs: number): CallerLoop {
  const pcm = readWavPcm(WAV_PATH);
  const fixture = JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Utterance[];
  const msToSamples = (ms: number) => Math.round((ms * FIXTURE_SAMPLE_RATE) / 1000);
  const pauseSamples = msToSamples(pauseMs);
  const speech = fixture.reduce((sum, u) => sum + msToSamples(u.endMs) - msToSamples(u.startMs), 0);
  // Whole 10 ms frames, so the looped audio and the scripted transcripts keep in step.
  const frame = FIXTURE_SAMPLE_RATE / 100;
  const total = Math.ceil((speech + pauseSamples * fixture.length) / frame) * frame;
  const out = new Int16Array(total);
  const utterances: Utterance[] = [];
  let seed = 12345;
  let at = 0;
  for (const u of fixture) {
    const speech = pcm.subarray(msToSamples(u.startMs), msToSamples(u.endMs));
    out.set(speech, at);
    utterances.push({
      text: u.text,
      startMs: (at * 1000) / FIXTURE_SAMPLE_RATE,
      endMs: ((at + speech.length) * 1000) / FIXTURE_SAMPLE_RATE,
    });
    at += speech.length;
    const pause = u === fixture.at(-1) ? total - at : pauseSamples;
    for (let i = 0; i < pause; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      out[at++] = (seed % 61) - 30;
    }
  }
  return { pcm: out, periodMs: (total * 1000) / FIXTURE_SAMPLE_RATE, utterances };
}
