import { voice } from '@livekit/agents';
import type { TelephonyPort } from '../../calls/index.js';
import type { Logger } from '../../observability/logger.js';
import { CallTimers } from './call-timers.js';
import type { Timers } from './timers.js';

/** Why the supervision ended a call. */
export type SupervisedEnd = 'silence_timeout' | 'max_duration';

/** What the agent says at each step; fixed sentences, so no LLM round trip is needed. */
export interface SupervisionPhrases {
  stillThere: string;
  silenceGoodbye: string;
  durationWarning: string;
  durationGoodbye: string;
}

export const DEFAULT_PHRASES: SupervisionPhrases = {
  stillThere: 'Are you still there?',
  silenceGoodbye:
    "I haven't heard anything for a while, so I'll hang up now. Please call us back any time. Goodbye!",
  durationWarning:
    "Just so you know, we're almost out of time on this call. Is there anything else I can quickly help with?",
  durationGoodbye:
    "I'm sorry, we've reached the time limit for this call. Please call back if you need anything else. Goodbye!",
};

export interface CallSupervisionOptions {
  limits: {
    silencePromptMs: number;
    silenceHangupMs: number;
    maxCallDurationMs: number;
    maxCallWarningMs: number;
  };
  telephony: Pick<TelephonyPort, 'hangUp'>;
  logger: Logger;
  /** Records the end on the call (state, outcome, end reason) before the line is hung up. */
  onEnd?(reason: SupervisedEnd): void | Promise<void>;
  phrases?: Partial<SupervisionPhrases>;
  timers?: Timers;
}

/**
 * Watches a running session for caller silence and the maximum call length: it asks "are you
 * still there?", warns before the time limit, and ends the call politely (goodbye played, then the
 * line hung up and the session shut down). Returns the timers; they stop when the session closes.
 */
export function superviseCall<UserData>(
  session: voice.AgentSession<UserData>,
  options: CallSupervisionOptions,
): CallTimers {
  const phrases = { ...DEFAULT_PHRASES, ...options.phrases };
  let ending = false;

  const end = async (reason: SupervisedEnd, goodbye: string) => {
    if (ending) return;
    ending = true;
    options.logger.info({ reason }, 'ending the call');
    try {
      await session.say(goodbye, { allowInterruptions: false }).waitForPlayout();
      await options.onEnd?.(reason);
      await options.telephony.hangUp(reason);
    } catch (error) {
      options.logger.error({ err: error, reason }, 'ending the call failed');
    } finally {
      session.shutdown({ reason });
    }
  };

  const timers = new CallTimers({
    ...options.limits,
    timers: options.timers,
    onSilencePrompt: () => void session.say(phrases.stillThere),
    onSilenceHangup: () => void end('silence_timeout', phrases.silenceGoodbye),
    onDurationWarning: () => void session.say(phrases.durationWarning),
    onMaxDuration: () => void end('max_duration', phrases.durationGoodbye),
  });

  const Events = voice.AgentSessionEventTypes;
  session.on(Events.UserStateChanged, (ev) => timers.setUserSpeaking(ev.newState === 'speaking'));
  session.on(Events.AgentStateChanged, (ev) =>
    timers.setAgentBusy(ev.newState === 'thinking' || ev.newState === 'speaking'),
  );
  session.on(Events.UserInputTranscribed, (ev) => {
    if (ev.isFinal && ev.transcript.trim() !== '') timers.noteCallerActivity();
  });
  session.on(Events.ConversationItemAdded, (ev) => {
    if (ev.item.type === 'message' && ev.item.role === 'user') timers.noteCallerActivity();
  });
  session.on(Events.Close, () => timers.stop());
  timers.start();
  return timers;
}
