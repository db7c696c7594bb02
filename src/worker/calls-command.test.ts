import { voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAgentsLogger } from '../../test/helpers/agent-harness.js';
import { testConfig } from '../../test/helpers/app.js';
import { createTestDatabase } from '../../test/helpers/databases.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { summaryJson } from '../../test/helpers/summary-answer.js';
import { createCall, getCall, transitionCall, updateCall } from '../calls/call-repository.js';
import { summaryRequest } from '../calls/call-summary.js';
import type { DatabaseHandle } from '../db/index.js';
import { runCallsCommand } from './calls-command.js';

const ANSWER = summaryJson({
  summary: 'Caller asked about opening hours.',
  intent: 'dealership_information',
  tags: ['hours'],
});

describe('npm run calls -- summarize', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    initAgentsLogger();
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.destroy());

  function run(args: string[], env: Record<string, string>, model: voice.testing.FakeLLM) {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCallsCommand(args, {
      config: testConfig(env),
      logger: captureLogs().logger,
      model: () => model,
      openDb: async () => ({ db: database.db, close: async () => undefined }),
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return code.then((c) => ({ code: c, out, err }));
  }

  it('retries failed summaries with the configured model', async () => {
    const { db } = database;
    const call = await createCall(db, { roomName: 'cli_1', channel: 'sip' });
    await transitionCall(db, call.id, 'ended', { reason: 'x' });
    await updateCall(db, call.id, { summary: { status: 'failed', error: 'timeout' } });
    const request = await summaryRequest(db, (await getCall(db, call.id))!);
    const result = await run(
      ['summarize', '--failed'],
      { OPENAI_API_KEY: 'sk-test' },
      new voice.testing.FakeLLM([{ input: request, content: ANSWER }]),
    );
    expect(result).toEqual({
      code: 0,
      out: [`summarized ${call.id}`, '1 of 1 call(s) summarized.'],
      err: [],
    });
    expect((await getCall(db, call.id))?.summary.status).toBe('done');
  });

  it('says what is missing without a key, and shows usage for bad arguments', async () => {
    const none = new voice.testing.FakeLLM([]);
    expect(await run(['summarize', '--failed'], {}, none)).toMatchObject({
      code: 1,
      err: [expect.stringContaining('set OPENAI_API_KEY')],
    });
    expect(await run(['frobnicate'], {}, none)).toMatchObject({ code: 2 });
    expect(await run(['summarize', 'no-such-call'], { OPENAI_API_KEY: 'sk' }, none)).toMatchObject({
      code: 1,
      err: ['no-such-call: no call no-such-call'],
    });
  });
});
