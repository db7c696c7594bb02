/**
 * The audio ends of a simulated call, run inside a job process: the caller's audio arriving in real
 * time, a TTS stand-in, the agent's playout, and a tap on the VAD to measure how far behind real
 * time the audio path runs.
 */
import {
  type APIConnectOptions,
  type VAD,
  type VADEvent,
  VADEventType,
  tts,
  voice,
} from '@livekit/agents';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  type Room,
  TrackPublishOptions,
} from '@livekit/rtc-node';
import { type ReadableStream, TransformStream } from 'node:stream/web';
import { FIXTURE_SAMPLE_RATE, type CallerLoop } from './capacity-fixture.js';

/** WebRTC delivers 10 ms frames. */
const FRAME_MS = 10;
/**
 * The caller's audio goes into the native source in 100 ms pieces: the source plays out in real
 * time whatever the piece size, and fewer pushes keep the bench's own cost (an FFI request per
 * push, which a real call does not make) small.
 */
const PUSH_MS = 100;

/**
 * The caller's audio as a room would deliver it: 16 kHz PCM pushed in real time into an rtc-node
 * AudioSource, read back through an AudioStream at `sampleRate` (what RoomIO asks for with
 * `inputOptions.audioSampleRate`, 24 kHz by default). The native resampling and frame delivery are
 * the same as for a subscribed caller track; only the network and Opus decoding are missing.
 */
export class CallerAudioInput extends voice.AudioInput {
  readonly #source = new AudioSource(FIXTURE_SAMPLE_RATE, 1, 1000);
  readonly #loop: CallerLoop;
  readonly #sampleRate: number;
  readonly #frameMs: number;
  #closed = false;
  #streamClock = Number.POSITIVE_INFINITY;

  constructor(loop: CallerLoop, sampleRate: number, frameMs = FRAME_MS) {
    super();
    this.#loop = loop;
    this.#sampleRate = sampleRate;
    this.#frameMs = frameMs;
  }

  /**
   * The native source plays out in real time from its creation (silence while nothing is
   * queued), so position p of the stream is due at t0 + p. Frames can arrive late (a busy event
   * loop) but never early: the earliest arrival relative to position is the best estimate of t0.
   */
  #clockTap(): TransformStream<AudioFrame, AudioFrame> {
    let positionMs = 0;
    return new TransformStream<AudioFrame, AudioFrame>({
      transform: (frame, controller) => {
        positionMs += (frame.samplesPerChannel * 1000) / frame.sampleRate;
        this.#streamClock = Math.min(this.#streamClock, performance.now() - positionMs);
        controller.enqueue(frame);
      },
    });
  }

  /** When position 0 of the audio the session reads was due (performance.now() ms; 0: unknown). */
  get streamClock(): number {
    return Number.isFinite(this.#streamClock) ? this.#streamClock : 0;
  }

  /** Starts pushing frames on the wall clock; a late timer pushes every frame that is due. */
  start(): void {
    // Created here, not earlier: the native source plays silence from its creation, and the
    // scripted STT's clock starts at the first frame the session receives.
    const track = LocalAudioTrack.createAudioTrack('caller', this.#source);
    const stream = new AudioStream(track, {
      sampleRate: this.#sampleRate,
      numChannels: 1,
      frameSizeMs: this.#frameMs,
    });
    this.multiStream.addInputStream(
      (stream as unknown as ReadableStream<AudioFrame>).pipeThrough(this.#clockTap()),
    );
    const pcm = this.#loop.pcm;
    const samplesPerPush = (FIXTURE_SAMPLE_RATE * PUSH_MS) / 1000;
    const startedAt = performance.now();
    let sent = 0;
    const pump = async () => {
      while (!this.#closed) {
        const due = startedAt + (sent * 1000) / FIXTURE_SAMPLE_RATE;
        const wait = due - performance.now();
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        const offset = sent % pcm.length;
        const data = pcm.slice(offset, Math.min(offset + samplesPerPush, pcm.length));
        await this.#source.captureFrame(new AudioFrame(data, FIXTURE_SAMPLE_RATE, 1, data.length));
        sent += data.length;
      }
    };
    void pump().catch(() => undefined);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    await this.#source.close();
    await super.close();
  }
}

/** Where the lag of one VAD stream goes: the call whose audio it consumes. */
export interface LagRoute {
  /** When position 0 of the call's audio was due (performance.now() ms; 0: not known yet). */
  clock(): number;
  onLag(lagMs: number): void;
}

/**
 * Measures the lag of the audio path: after each VAD inference, how long ago the last audio it
 * consumed was due. VADStream has no public hook, so the tap wraps `sendVADEvent` of each stream
 * the sessions open; `route` is asked, when a stream opens, which call it belongs to.
 */
export function tapVad(vad: VAD, route: () => LagRoute): void {
  const open = vad.stream.bind(vad);
  vad.stream = () => {
    const stream = open();
    const to = route();
    const target = stream as unknown as { sendVADEvent(ev: VADEvent): boolean };
    const send = target.sendVADEvent.bind(stream);
    let consumedMs = 0;
    target.sendVADEvent = (ev: VADEvent) => {
      if (ev.type === VADEventType.INFERENCE_DONE) {
        const frame = ev.frames[0];
        if (frame) consumedMs += (frame.samplesPerChannel * 1000) / frame.sampleRate;
        const clock = to.clock();
        if (clock > 0) to.onLag(performance.now() - (clock + consumedMs));
      }
      return send(ev);
    };
    return stream;
  };
}

const TTS_SAMPLE_RATE = 24000;

/** A voice-like test signal (a few harmonics, slowly modulated) to slice TTS audio from. */
function voiceSignal(seconds: number): Int16Array {
  const out = new Int16Array(TTS_SAMPLE_RATE * seconds);
  for (let i = 0; i < out.length; i++) {
    const t = i / TTS_SAMPLE_RATE;
    const f0 = 140 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    const s =
      Math.sin(2 * Math.PI * f0 * t) +
      0.5 * Math.sin(4 * Math.PI * f0 * t) +
      0.25 * Math.sin(6 * Math.PI * f0 * t);
    out[i] = Math.round(4000 * envelope * s);
  }
  return out;
}

class BenchChunkedStream extends tts.ChunkedStream {
  label = 'bench.ChunkedStream';

  constructor(
    private readonly owner: BenchTTS,
    text: string,
    connOptions?: APIConnectOptions,
  ) {
    super(text, owner, connOptions);
  }

  protected async run(): Promise<void> {
    const frameSamples = (TTS_SAMPLE_RATE * 20) / 1000;
    const ms = Math.min(this.inputText.length * this.owner.msPerChar, this.owner.maxSegmentMs);
    const frames = Math.max(1, Math.round(ms / 20));
    const signal = this.owner.signal;
    for (let i = 0; i < frames; i++) {
      const offset = (i * frameSamples) % (signal.length - frameSamples);
      this.queue.put({
        requestId: 'bench',
        segmentId: 'bench',
        frame: new AudioFrame(
          signal.slice(offset, offset + frameSamples),
          TTS_SAMPLE_RATE,
          1,
          frameSamples,
        ),
        final: i === frames - 1,
      });
    }
  }
}

/**
 * Stands in for the cloud TTS (whose synthesis runs elsewhere): returns audio at once, about as
 * long as speech of the text would be (capped per sentence), at Cartesia's 24 kHz.
 */
export class BenchTTS extends tts.TTS {
  label = 'bench.TTS';
  readonly signal = voiceSignal(2);

  constructor(
    readonly msPerChar = 60,
    readonly maxSegmentMs = 1500,
  ) {
    super(TTS_SAMPLE_RATE, 1, { streaming: false });
  }

  synthesize(text: string, connOptions?: APIConnectOptions): tts.ChunkedStream {
    return new BenchChunkedStream(this, text, connOptions);
  }

  stream(): tts.SynthesizeStream {
    throw new Error('BenchTTS does not stream; the session wraps it in a StreamAdapter');
  }
}

/**
 * The framework's own room output (an rtc-node AudioSource that plays out in real time), without
 * a room to publish to: publishing is what would resolve its start, so the bench resolves it, as
 * agents-js's recorder test does.
 */
export function createPlayoutOutput(): voice.ParticipantAudioOutput {
  const output = new voice.ParticipantAudioOutput({} as Room, {
    sampleRate: TTS_SAMPLE_RATE,
    numChannels: 1,
    trackPublishOptions: new TrackPublishOptions(),
    queueSizeMs: 200,
  });
  (output as unknown as { startedFuture: { resolve(): void } }).startedFuture.resolve();
  return output;
}
