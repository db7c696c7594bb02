import { initializeLogger, voice } from '@livekit/agents';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualTimers } from '../../../test/helpers/manual-timers.js';
import { RecordingTelephony } from '../../calls/index.js';
import { DEFAULT_PHRASES, superviseCall, type SupervisedEnd } from './call-supervision.js';

const SECOND = 1000;

function agentLines(session: voice.AgentSession): string[] {
  return session.history.items.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant' ? [item.textContent ?? ''] : [],
  );
}

describe('call supervision through the agent session', () => {
  let session: voice.AgentSession;
  let clock: ManualTimers;
  let telephony: RecordingTelephony;
  let ended: SupervisedEnd[];
  let closed: Promise<unknown>;

  beforeAll(() => initializeLogger({ pretty: false, level: 'error' }));

  const LIMITS = {
    silencePromptMs: 12 * SECOND,
    silenceHangupMs: 30 * SECOND,
    maxCallDurationMs: 20 * 60 * SECOND,
    maxCallWarningMs: 60 * SECOND,
  };

  async function startCall(limits = LIMITS) {
    const llm = new voice.testing.FakeLLM([
      { input: 'I need a minute to find my VIN', content: 'Sure, take your time.' },
    ]);
    session = new voice.AgentSession({ llm });
    closed = new Promise((resolve) => session.once(voice.AgentSessionEventTypes.Close, resolve));
    await session.start({ agent: new voice.Agent({ instructions: 'You answer the phone.' }) });
    clock = new ManualTimers();
    telephony = new RecordingTelephony();
    ended = [];
    superviseCall(session, {
      limits,
      telephony,
      logger: pino({ level: 'silent' }),
      onEnd: (reason) => void ended.push(reason),
      timers: clock,
    });
  }

  afterEach(async () => {
    await session.close();
  });

  /** Lets the session play out what the clock triggered (it runs in real time). */
  const settle = (lines: number) =>
    vi.waitFor(() => expect(agentLines(session)).toHaveLength(lines));

  it('asks whether the caller is still there, then says goodbye and hangs up', async () => {
    await startCall();
    clock.advance(12 * SECOND - 1);
    expect(agentLines(session)).toEqual([]);
    clock.advance(1);
    await settle(1);
    expect(agentLines(session)).toEqual([DEFAULT_PHRASES.stillThere]);
    await vi.waitFor(() => expect(session.agentState).toBe('listening'));

    clock.advance(18 * SECOND);
    await closed;

    expect(agentLines(session)).toEqual([
      DEFAULT_PHRASES.stillThere,
      DEFAULT_PHRASES.silenceGoodbye,
    ]);
    expect(ended).toEqual(['silence_timeout']);
    expect(telephony.requests).toEqual([{ kind: 'hangup', reason: 'silence_timeout' }]);
  });

  it('starts the silence over when the caller answers the prompt', async () => {
    await startCall();
    clock.advance(12 * SECOND);
    await settle(1);
    await session.run({ userInput: 'I need a minute to find my VIN' }).wait();
    await vi.waitFor(() => expect(session.agentState).toBe('listening'));

    // 18 s after the prompt would have hung up; the caller's answer made it a fresh silence.
    clock.advance(12 * SECOND - 1);
    expect(agentLines(session)).toEqual([DEFAULT_PHRASES.stillThere, 'Sure, take your time.']);
    clock.advance(1);
    await settle(3);
    expect(agentLines(session).at(-1)).toBe(DEFAULT_PHRASES.stillThere);
    expect(telephony.requests).toEqual([]);
  });

  it('warns a minute before the time limit, then ends the call politely', async () => {
    await startCall({
      silencePromptMs: 10 * 60 * SECOND,
      silenceHangupMs: 20 * 60 * SECOND,
      maxCallDurationMs: 3 * 60 * SECOND,
      maxCallWarningMs: 60 * SECOND,
    });
    clock.advance(2 * 60 * SECOND - 1);
    expect(agentLines(session)).toEqual([]);
    clock.advance(1);
    await settle(1);
    expect(agentLines(session)).toEqual([DEFAULT_PHRASES.durationWarning]);

    clock.advance(60 * SECOND);
    await closed;
    expect(agentLines(session)).toEqual([
      DEFAULT_PHRASES.durationWarning,
      DEFAULT_PHRASES.durationGoodbye,
    ]);
    expect(ended).toEqual(['max_duration']);
    expect(telephony.requests).toEqual([{ kind: 'hangup', reason: 'max_duration' }]);
  });
});
