import { voice } from '@livekit/agents';
import { beforeAll, expect, it } from 'vitest';
import { initAgentsLogger } from '../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { createCall, getCall, transitionCall, updateCall } from './call-repository.js';
import { listFailedSummaries, summarizeCall, summaryRequest } from './call-summary.js';
import { appendTranscriptItem } from './transcript-repository.js';

beforeAll(() => initAgentsLogger());

const GOOD = {
  summary: 'Dana asked about a 2022 Honda CR-V and booked a test drive for Monday at 10 AM.',
  intent: 'test_drive',
  outcome: 'appointment_booked',
  vin: '7FARW2H52NE877541',
  vehicle: '2022 Honda CR-V',
  appointment: 'Test drive, Monday November 23 at 10:00 AM',
  followUpNeeded: false,
  sentiment: 'positive',
  tags: ['test-drive', 'honda'],
};

describeEachDialect('post-call summary', (database) => {
  async function finishedCall() {
    const { db } = database();
    const call = await createCall(db, {
      roomName: `summary_${Date.now()}_${Math.random()}`,
      channel: 'simulator',
    });
    await updateCall(db, call.id, { customerName: 'Dana Reyes', outcome: 'appointment_booked' });
    for (const [i, [role, text]] of [
      ['assistant', 'Thanks for calling. How can I help?'],
      ['user', 'I want to test drive the CR-V on Monday.'],
    ].entries()) {
      await appendTranscriptItem(db, call.id, {
        itemId: `i${i}`,
        role: role as 'user' | 'assistant',
        text: text!,
        startedAt: null,
        endedAt: null,
        interrupted: false,
        createdAt: '2026-11-21T15:00:00.000Z',
      });
    }
    await transitionCall(db, call.id, 'ended', { reason: 'test' });
    return (await getCall(db, call.id))!;
  }

  it('fills the schema from the model answer and stores it on the call', async () => {
    const { db } = database();
    const call = await finishedCall();
    const request = await summaryRequest(db, call);
    expect(request).toContain('Caller: I want to test drive the CR-V on Monday.');
    const model = new voice.testing.FakeLLM([
      { input: request, content: `Here you go:\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\`` },
    ]);
    expect(await summarizeCall(db, call.id, model, { logger: captureLogs().logger })).toBe(true);
    expect((await getCall(db, call.id))?.summary).toEqual({
      status: 'done',
      text: GOOD.summary,
      intent: 'test_drive',
      sentiment: 'positive',
      followUpNeeded: false,
      tags: ['test-drive', 'honda'],
      details: GOOD,
      error: null,
    });
  });

  it('marks a malformed answer as failed with the error, and a retry fixes it', async () => {
    const { db } = database();
    const call = await finishedCall();
    const request = await summaryRequest(db, call);
    const { logger, lines } = captureLogs();
    const bad = new voice.testing.FakeLLM([
      { input: request, content: JSON.stringify({ ...GOOD, sentiment: 'ecstatic' }) },
    ]);
    expect(await summarizeCall(db, call.id, bad, { logger })).toBe(false);
    const failed = await getCall(db, call.id);
    expect(failed?.summary.status).toBe('failed');
    expect(failed?.summary.error).toContain('sentiment');
    expect(await listFailedSummaries(db)).toContain(call.id);
    expect(lines().find((l) => l.msg === 'call summary failed')).toMatchObject({ callId: call.id });

    const empty = new voice.testing.FakeLLM([{ input: request, content: 'I cannot help.' }]);
    await summarizeCall(db, call.id, empty, { logger });
    expect((await getCall(db, call.id))?.summary.error).toBe(
      'the summary answer contains no JSON object',
    );

    const good = new voice.testing.FakeLLM([{ input: request, content: JSON.stringify(GOOD) }]);
    expect(await summarizeCall(db, call.id, good, { logger })).toBe(true);
    expect(await listFailedSummaries(db)).not.toContain(call.id);
  });
});
