import { inference } from '@livekit/agents';
import * as cartesia from '@livekit/agents-plugin-cartesia';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/helpers/app.js';
import { initAgentsLogger } from '../../test/helpers/agent-harness.js';
import { buildSessionModels, MissingProviderKeysError, STT_KEYTERMS } from './session-factory.js';

const keys = {
  OPENAI_API_KEY: 'sk-test',
  DEEPGRAM_API_KEY: 'dg-test',
  CARTESIA_API_KEY: 'ca-test',
};

beforeAll(() => initAgentsLogger());

describe('session models from config', () => {
  it('builds the pipeline: Deepgram nova-3 with key terms, OpenAI LLM, Cartesia TTS, local turn detector', () => {
    const models = buildSessionModels(
      testConfig({ ...keys, LLM_MODEL: 'gpt-4.1-mini', OPENAI_BASE_URL: 'http://llm.local/v1' }),
    );
    expect(models.stt).toBeInstanceOf(deepgram.STT);
    expect((models.stt as deepgram.STT).model).toBe('nova-3');
    expect(models.llm).toBeInstanceOf(openai.LLM);
    expect((models.llm as openai.LLM).model).toBe('gpt-4.1-mini');
    expect(models.tts).toBeInstanceOf(cartesia.TTS);
    const detector = models.turnHandling?.turnDetection;
    expect(detector).toBeInstanceOf(inference.TurnDetector);
    expect((detector as inference.TurnDetector).model).toBe('turn-detector-v1-mini');
    expect(STT_KEYTERMS).toEqual(expect.arrayContaining(['Alpha', 'Zulu', 'VIN']));
  });

  it('uses OpenAI TTS when configured', () => {
    const models = buildSessionModels(
      testConfig({
        OPENAI_API_KEY: 'sk',
        DEEPGRAM_API_KEY: 'dg',
        TTS_PROVIDER: 'openai',
        TTS_VOICE: 'nova',
      }),
    );
    expect(models.tts).toBeInstanceOf(openai.TTS);
  });

  it('builds the realtime model in realtime mode, without STT or TTS', () => {
    const models = buildSessionModels(
      testConfig({ AGENT_MODE: 'realtime', OPENAI_API_KEY: 'sk-test', REALTIME_VOICE: 'cedar' }),
    );
    expect(models.llm).toBeInstanceOf(openai.realtime.RealtimeModel);
    expect((models.llm as openai.realtime.RealtimeModel).model).toBe('gpt-realtime');
    expect(models.stt).toBeUndefined();
    expect(models.tts).toBeUndefined();
  });

  it('names exactly the missing keys', () => {
    expect(() => buildSessionModels(testConfig({ OPENAI_API_KEY: 'sk' }))).toThrow(
      new MissingProviderKeysError(['DEEPGRAM_API_KEY', 'CARTESIA_API_KEY']),
    );
  });
});
