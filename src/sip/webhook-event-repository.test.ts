import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import {
  claimWebhookEvent,
  pruneWebhookEvents,
  releaseWebhookEvent,
} from './webhook-event-repository.js';

describeEachDialect('webhook event claims', (database) => {
  const claim = { id: 'EV_1', event: 'room_finished', roomName: 'call_x' };

  it('lets the first delivery through and recognises redeliveries', async () => {
    const { db } = database();
    expect(await claimWebhookEvent(db, claim, '2026-11-21T10:00:00.000Z')).toBe(true);
    expect(await claimWebhookEvent(db, claim)).toBe(false);
    const rows = await db.selectFrom('webhook_events').selectAll().execute();
    expect(rows).toEqual([
      {
        id: 'EV_1',
        event: 'room_finished',
        room_name: 'call_x',
        received_at: '2026-11-21T10:00:00.000Z',
      },
    ]);
  });

  it('lets exactly one of two concurrent deliveries through', async () => {
    const { db } = database();
    const results = await Promise.all([
      claimWebhookEvent(db, { ...claim, id: 'EV_2' }),
      claimWebhookEvent(db, { ...claim, id: 'EV_2' }),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('releases a claim so a retry is handled, and prunes old claims', async () => {
    const { db } = database();
    await claimWebhookEvent(db, { ...claim, id: 'EV_3' });
    await releaseWebhookEvent(db, 'EV_3');
    expect(await claimWebhookEvent(db, { ...claim, id: 'EV_3' })).toBe(true);

    await claimWebhookEvent(db, { ...claim, id: 'EV_old' }, '2026-01-01T00:00:00.000Z');
    expect(await pruneWebhookEvents(db, '2026-06-01T00:00:00.000Z')).toBe(1);
    expect(await claimWebhookEvent(db, { ...claim, id: 'EV_old' })).toBe(true);
  });
});
