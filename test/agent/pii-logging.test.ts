import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordingTelephony } from '../../src/calls/telephony-port.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { startTestCall } from '../helpers/agent-harness.js';
import { createTestDatabase } from '../helpers/databases.js';
import { captureLogs } from '../helpers/log-capture.js';

const CALLER = '+15550100777';
const SAID = 'This is Jordan Blake, call me back at 617 555 0142 about my Civic';

/** A log line without its `pii` values: what may reach logs in production. */
function withoutPii(line: Record<string, unknown>): string {
  const { pii: _pii, ...rest } = line;
  return JSON.stringify(rest);
}

describe('logging during a call', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.destroy());

  it('keeps phone numbers, names and transcripts out of everything but `pii` values', async () => {
    const { logger, lines } = captureLogs({ level: 'debug', pii: true });
    const call = await startTestCall({
      database,
      logger,
      input: { callerNumber: CALLER },
      telephony: new RecordingTelephony({
        ok: false,
        error: 'SIP 486 Busy Here',
        sipStatusCode: 486,
      }),
      responses: [
        {
          input: SAID,
          toolCalls: [
            { name: 'record_customer_name', args: { name: 'Jordan Blake' } },
            { name: 'record_callback_number', args: { number: '617 555 0142' } },
            { name: 'lookup_vehicle', args: { vin: 'not a vin at all' } },
            {
              name: 'book_appointment',
              args: {
                kind: 'service',
                starts_at: 'Jordan Blake 6175550142',
                caller_confirmed: true,
              },
            },
          ],
        },
        {
          input: 'transfer me',
          toolCalls: [
            {
              name: 'transfer_to_human',
              args: { department: 'sales', reason: 'Jordan wants a price', caller_confirmed: true },
            },
          ],
        },
      ],
    });
    await call.say(SAID);
    await call.say('transfer me');
    call.data.call.transition('initializing', 'bogus'); // a rejected transition is logged too
    await call.session.close();
    await call.ended;

    // An unexpected failure (injected) logs the tool arguments, under `pii` only.
    const failing = await startTestCall({
      database,
      logger,
      input: { callerNumber: CALLER },
      responses: [
        {
          input: 'any cars from Jordan Blake?',
          toolCalls: [{ name: 'search_inventory', args: { make: 'Jordan Blake' } }],
        },
      ],
    });
    const fault = vi.spyOn(failing.data.db, 'selectFrom').mockImplementation(() => {
      throw new Error('disk I/O error');
    });
    await failing.say('any cars from Jordan Blake?');
    fault.mockRestore();
    await failing.session.close();
    await failing.ended;

    const logged = lines();
    expect(logged.length).toBeGreaterThan(5);
    for (const line of logged) {
      const visible = withoutPii(line);
      for (const secret of [
        CALLER,
        '5550100777',
        '6175550142',
        '617 555 0142',
        'Jordan',
        'Blake',
        'Civic',
        'call me back',
      ]) {
        expect(visible, `"${secret}" in ${visible}`).not.toContain(secret);
      }
      expect(typeof line.msg).toBe('string');
    }
    // The PII that was logged sits under `pii`, where LOG_PII=false redacts it.
    expect(logged.find((l) => l.msg === 'tool failed unexpectedly')).toMatchObject({
      tool: 'search_inventory',
      err: 'disk I/O error',
      pii: { arguments: { make: 'Jordan Blake' } },
    });
  });

  it('redacts `pii` values when LOG_PII is off', () => {
    const { logger, raw } = captureLogs({ pii: false });
    logger.info({ callId: 'c1', pii: { phone: CALLER } }, 'caller identified');
    expect(raw()).not.toContain(CALLER);
    expect(raw()).toContain('[redacted]');
  });
});
