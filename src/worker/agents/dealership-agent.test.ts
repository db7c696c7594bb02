import { expect, it } from 'vitest';
import { TEST_NOW, startTestCall } from '../../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../../test/helpers/databases.js';
import { createCall, transitionCall, updateCall } from '../../calls/call-repository.js';

describeEachDialect('dealership agent context', (database) => {
  it("gives a returning caller's earlier calls to the model, and nothing about other numbers", async () => {
    const { db } = database();
    const number = `+1555${Math.floor(Math.random() * 1e7)}`;
    const earlier = await createCall(db, {
      roomName: `earlier_${number}`,
      channel: 'sip',
      callerNumber: number,
      startedAt: '2026-11-10T15:00:00.000Z',
    });
    await updateCall(db, earlier.id, {
      customerName: 'Morgan Diaz',
      vehicle: {
        vin: '7FARW2H52NE877541',
        year: 2022,
        make: 'Honda',
        model: 'CR-V',
        inInventory: true,
      },
      outcome: 'appointment_booked',
      summary: { status: 'done', text: 'Booked a test drive of the CR-V.' },
    });
    await transitionCall(db, earlier.id, 'ended', { reason: 'done' });
    await createCall(db, {
      roomName: `other_${number}`,
      channel: 'sip',
      callerNumber: '+15559999999',
    });

    const call = await startTestCall({
      database: database(),
      responses: [],
      input: { callerNumber: number },
    });
    const instructions = call.session.currentAgent.instructions;
    expect(instructions).toContain('This number has called before');
    expect(instructions).toContain(
      '- on 2026-11-10; name given: Morgan Diaz; vehicle: 2022 Honda CR-V; outcome: appointment booked; summary: Booked a test drive of the CR-V.',
    );
    expect(instructions).toContain('Today is Saturday, November 21, 2026');
    await call.session.close();

    const stranger = await startTestCall({
      database: database(),
      responses: [],
      input: { callerNumber: '+15550000001' },
    });
    expect(stranger.session.currentAgent.instructions).not.toContain('called before');
    expect(TEST_NOW.toISOString()).toBe('2026-11-21T15:00:00.000Z');
    await stranger.session.close();
  });
});
