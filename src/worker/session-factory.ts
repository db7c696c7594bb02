import { inference, type llm, type VAD } from '@livekit/agents';
import * as cartesia from '@livekit/agents-plugin-cartesia';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import { type Config, missingProviderKeys } from '../config/index.js';
import type { SessionModels } from './call-session.js';

/** The NATO alphabet: callers spell VINs with it ("H as in Hotel"). */
export const NATO_WORDS = [
  'Alpha',
  'Bravo',
  'Charlie',
  'Delta',
  'Echo',
  'Foxtrot',
  'Golf',
  'Hotel',
  'India',
  'Juliet',
  'Kilo',
  'Lima',
  'Mike',
  'November',
  'Oscar',
  'Papa',
  'Quebec',
  'Romeo',
  'Sierra',
  'Tango',
  'Uniform',
  'Victor',
  'Whiskey',
  'X-ray',
  'Yankee',
  'Zulu',
];

/**
 * Deepgram key terms: spoken VIN vocabulary (NATO words, letter names as spoken, "VIN") and the
 * words of a dealership call that general models mishear.
 */
export const STT_KEYTERMS = [
  ...NATO_WORDS,
  'VIN',
  'V I N',
  'vee',
  'zee',
  'double-u',
  'aitch',
  'ex',
  'why',
  'test drive',
  'trade-in',
  'oil change',
  'SUV',
  'sedan',
  'pickup',
  'hatchback',
  'minivan',
];

/** Thrown when provider keys the configured mode needs are missing. */
export class MissingProviderKeysError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`missing provider settings: ${missing.join(', ')}`);
    this.name = 'MissingProviderKeysError';
  }
}

// An OpenAI-compatible server (Ollama, vLLM) may need no key, but the plugin insists on one.
const openaiKey = (config: Config) => config.providers.openaiApiKey ?? 'no-key-needed';

/** The chat model from config (also used for the post-call summary with `summaryModel`). */
export function createChatLlm(config: Config, model = config.agent.llmModel): llm.LLM {
  return new openai.LLM({
    apiKey: openaiKey(config),
    baseURL: config.providers.openaiBaseUrl,
    model,
    temperature: 0.3,
  });
}

function createTts(config: Config) {
  const { ttsProvider, ttsModel, ttsVoice } = config.agent;
  if (ttsProvider === 'openai') {
    return new openai.TTS({
      apiKey: openaiKey(config),
      baseURL: config.providers.openaiBaseUrl,
      model: ttsModel ?? 'gpt-4o-mini-tts',
      ...(ttsVoice ? { voice: ttsVoice as openai.TTSVoices } : {}),
      instructions: 'Speak like a friendly, efficient car dealership receptionist on the phone.',
    });
  }
  return new cartesia.TTS({
    apiKey: config.providers.cartesiaApiKey,
    model: ttsModel ?? 'sonic-3',
    ...(ttsVoice ? { voice: ttsVoice } : {}),
  });
}

function createStt(config: Config) {
  return new deepgram.STT({
    apiKey: config.providers.deepgramApiKey,
    model: config.agent.sttModel,
    language: config.agent.sttLanguage,
    // Phone audio: interim results for barge-in, digits as numerals (VINs, phone numbers), no smart
    // formatting (it rewrites spelled letters and numbers), and opt out of model training on calls.
    interimResults: true,
    punctuate: true,
    smartFormat: false,
    numerals: true,
    fillerWords: false,
    noDelay: true,
    endpointing: 25,
    mipOptOut: true,
    keyterm: STT_KEYTERMS,
  });
}

/**
 * The models of a call from config. Pipeline: Deepgram STT, OpenAI-compatible LLM, Cartesia or
 * OpenAI TTS, Silero VAD and the local turn detector (pinned: never the cloud gateway). Realtime:
 * the OpenAI Realtime model in place of STT, LLM and TTS. Keys are passed explicitly (the plugins
 * read the environment at import). Constructors do not touch the network.
 */
export function buildSessionModels(config: Config, options: { vad?: VAD } = {}): SessionModels {
  const missing = missingProviderKeys(config);
  if (missing.length > 0) throw new MissingProviderKeysError(missing);
  if (config.agent.mode === 'realtime') {
    return {
      llm: new openai.realtime.RealtimeModel({
        apiKey: openaiKey(config),
        baseURL: config.providers.openaiBaseUrl,
        model: config.agent.realtimeModel,
        voice: config.agent.realtimeVoice,
      }),
      vad: options.vad,
    };
  }
  return {
    stt: createStt(config),
    llm: createChatLlm(config),
    tts: createTts(config),
    vad: options.vad,
    turnHandling: { turnDetection: new inference.TurnDetector({ version: 'v1-mini' }) },
  };
}
