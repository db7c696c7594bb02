import { llm, type metrics as lkMetrics, voice } from '@livekit/agents';
import { recordToolCall } from '../calls/tool-call-repository.js';
import { appendTranscriptItem } from '../calls/transcript-repository.js';
import { type TurnMetrics, upsertTurnMetrics } from '../calls/turn-metrics-repository.js';
import type { CallData } from './call-data.js';

type AgentMetrics = lkMetrics.AgentMetrics;
type Stage = 'end_of_utterance' | 'llm_first_token' | 'tts_first_byte' | 'total';

const secondsToIso = (seconds: number | undefined) =>
  seconds === undefined || !Number.isFinite(seconds)
    ? null
    : new Date(seconds * 1000).toISOString();

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Aggregates the per-stage metrics of each turn (they arrive as separate events keyed by speech
 * id: end of utterance, each LLM generation, TTS), feeds the latency histograms, and stores the
 * turn's `turn_metrics` row with one write when the turn is over (`flush`) instead of one per
 * event: each write is a commit on the call's audio process.
 */
class TurnMetricsRecorder {
  readonly #turns = new Map<string, TurnMetrics & { totalObserved: boolean }>();
  /** Stage values not yet queued for writing, by speech id. */
  readonly #unsaved = new Map<string, Partial<TurnMetrics>>();
  #lastSttMs: number | null = null;

  constructor(
    private readonly data: CallData,
    /** Whether the pipeline synthesizes speech (text-only sessions have no TTS stage). */
    private readonly hasTts: boolean,
  ) {}

  collect(m: AgentMetrics): void {
    switch (m.type) {
      case 'stt_metrics':
        this.#lastSttMs = m.durationMs;
        return;
      case 'eou_metrics':
        if (!m.speechId) return;
        this.#observe('end_of_utterance', m.endOfUtteranceDelayMs);
        this.#update(m.speechId, {
          endOfUtteranceMs: m.endOfUtteranceDelayMs,
          transcriptionDelayMs: m.transcriptionDelayMs,
          sttMs: this.#lastSttMs,
        });
        return;
      case 'llm_metrics': {
        if (!m.speechId) return;
        const turn = this.#turn(m.speechId);
        // The caller waits on the turn's first generation; later ones follow tool calls.
        if (turn.llmTtftMs === null) {
          this.#observe('llm_first_token', m.ttftMs);
          this.#update(m.speechId, {
            llmTtftMs: m.ttftMs,
            llmDurationMs: (turn.llmDurationMs ?? 0) + m.durationMs,
          });
        } else {
          this.#update(m.speechId, { llmDurationMs: (turn.llmDurationMs ?? 0) + m.durationMs });
        }
        return;
      }
      case 'tts_metrics':
        if (!m.speechId || this.#turn(m.speechId).ttsTtfbMs !== null) return;
        this.#observe('tts_first_byte', m.ttfbMs);
        this.#update(m.speechId, { ttsTtfbMs: m.ttfbMs });
        return;
      default:
        return;
    }
  }

  #turn(speechId: string) {
    let turn = this.#turns.get(speechId);
    if (!turn) {
      turn = {
        speechId,
        endOfUtteranceMs: null,
        transcriptionDelayMs: null,
        sttMs: null,
        llmTtftMs: null,
        llmDurationMs: null,
        ttsTtfbMs: null,
        totalMs: null,
        totalObserved: false,
      };
      this.#turns.set(speechId, turn);
    }
    return turn;
  }

  #update(speechId: string, patch: Partial<TurnMetrics>): void {
    const turn = Object.assign(this.#turn(speechId), patch);
    const complete = turn.llmTtftMs !== null && (!this.hasTts || turn.ttsTtfbMs !== null);
    if (complete && !turn.totalObserved) {
      // Voice-to-voice estimate: end of utterance + first token + first audio byte.
      turn.totalMs = (turn.endOfUtteranceMs ?? 0) + (turn.llmTtftMs ?? 0) + (turn.ttsTtfbMs ?? 0);
      turn.totalObserved = true;
      this.#observe('total', turn.totalMs);
      patch = { ...patch, totalMs: turn.totalMs };
    }
    // Stage values are absolute (durations already summed), so the latest one wins.
    const unsaved = this.#unsaved.get(speechId);
    if (unsaved) Object.assign(unsaved, patch);
    else this.#unsaved.set(speechId, { ...patch });
  }

  /** Queues one upsert per turn with what its metrics events carried since the last flush. */
  flush(): void {
    const { db, call, queue } = this.data;
    for (const [speechId, patch] of this.#unsaved) {
      const row = { ...patch, speechId };
      queue.enqueue('turn_metrics', () => upsertTurnMetrics(db, call.id, row));
    }
    this.#unsaved.clear();
  }

  #observe(stage: Stage, ms: number): void {
    if (Number.isFinite(ms) && ms >= 0)
      this.data.metrics.record({ type: 'turnLatency', stage, ms });
  }
}

/**
 * Wires a session's events to the call record: transcript lines, tool calls and turn metrics go
 * to the write queue (never awaited here: these handlers run on the audio path), and the first
 * thing the caller says moves a greeting call into information gathering.
 */
export function recordSession(
  session: voice.AgentSession<CallData>,
  data: CallData,
  options: { hasTts: boolean },
): void {
  const { db, call, queue } = data;
  const turnMetrics = new TurnMetricsRecorder(data, options.hasTts);

  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
    if (!(item instanceof llm.ChatMessage)) return;
    if (item.role !== 'user' && item.role !== 'assistant') return;
    const text = item.textContent ?? '';
    if (!text.trim()) return;
    if (item.role === 'user' && call.state === 'greeting') {
      call.transition('information_gathering', 'caller spoke');
    }
    const line = {
      itemId: item.id,
      role: item.role,
      text,
      startedAt: secondsToIso(item.metrics.startedSpeakingAt),
      endedAt: secondsToIso(item.metrics.stoppedSpeakingAt),
      interrupted: item.interrupted,
      createdAt: new Date(item.createdAt).toISOString(),
    };
    queue.enqueue('transcript_item', () => appendTranscriptItem(db, call.id, line));
  });

  session.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, (event) => {
    for (const [fc, output] of voice.zipFunctionCallsAndOutputs(event)) {
      const timing = data.toolTimings.get(fc.callId);
      data.toolTimings.delete(fc.callId);
      // The provider's call id plus the chat item id: unique even when a resumed session or a
      // scripted model reuses provider ids, and still traceable in the provider's logs.
      const toolCallId = `${fc.callId}:${fc.id}`;
      if (output.isError) data.metrics.record({ type: 'toolError', tool: fc.name });
      const record = {
        toolCallId,
        name: fc.name,
        arguments: parseArgs(fc.args),
        output: output.isError ? null : parseArgs(output.output),
        error: output.isError ? output.output : null,
        startedAt: timing?.startedAt ?? new Date(fc.createdAt).toISOString(),
        durationMs: timing?.durationMs ?? null,
      };
      queue.enqueue('tool_call', () => recordToolCall(db, call.id, record));
    }
  });

  session.on(voice.AgentSessionEventTypes.MetricsCollected, ({ metrics }) => {
    turnMetrics.collect(metrics);
  });
  // The agent listens again once its reply is over: the turn's metrics are all in.
  session.on(voice.AgentSessionEventTypes.AgentStateChanged, ({ newState }) => {
    if (newState === 'listening') turnMetrics.flush();
  });
  // Registered before runCall's close handler, which closes the write queue.
  session.on(voice.AgentSessionEventTypes.Close, () => turnMetrics.flush());

  session.on(voice.AgentSessionEventTypes.Error, ({ error }) => {
    const source = (error as { type?: string }).type ?? 'unknown';
    data.logger.warn(
      { source, recoverable: (error as { recoverable?: boolean }).recoverable },
      'session error',
    );
  });
}
