import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { hasAuditEvent, listAuditEvents, recordAudit } from './audit-repository.js';

describeEachDialect('audit log', (database) => {
  it('records events and lists them newest first with filters and keyset paging', async () => {
    const { db } = database();
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, {
        action: i % 2 ? 'recording.download' : 'recording.listen',
        actor: { type: 'user', id: 7, label: 'sam@dealer.test', credentialId: 'sess-1' },
        ip: '203.0.113.5',
        userAgent: 'Mozilla/5.0',
        target: { type: 'recording', id: `rec-${i}` },
        details: { n: i },
        at: `2026-11-21T10:0${i}:00.000Z`,
      });
    }
    const first = await listAuditEvents(db, { actor: 'sam@dealer.test' }, { limit: 2 });
    expect(first.items.map((e) => e.target?.id)).toEqual(['rec-4', 'rec-3']);
    expect(first.items[0]).toMatchObject({
      action: 'recording.listen',
      actor: { type: 'user', id: 7, label: 'sam@dealer.test' },
      ip: '203.0.113.5',
      details: { n: 4 },
      at: '2026-11-21T10:04:00.000Z',
    });
    const second = await listAuditEvents(
      db,
      { actor: 'sam@dealer.test' },
      { limit: 2, cursor: first.nextCursor! },
    );
    expect(second.items.map((e) => e.target?.id)).toEqual(['rec-2', 'rec-1']);
    const downloads = await listAuditEvents(db, {
      action: 'recording.download',
      targetId: 'rec-3',
    });
    expect(downloads.items).toHaveLength(1);
    const window = await listAuditEvents(db, {
      actor: 'sam@dealer.test',
      from: '2026-11-21T10:01:00.000Z',
      to: '2026-11-21T10:03:00.000Z',
    });
    expect(window.items.map((e) => e.target?.id)).toEqual(['rec-2', 'rec-1']);

    expect(
      await hasAuditEvent(db, {
        action: 'recording.listen',
        credentialId: 'sess-1',
        target: { type: 'recording', id: 'rec-0' },
      }),
    ).toBe(true);
    expect(
      await hasAuditEvent(db, {
        action: 'recording.listen',
        credentialId: 'sess-2',
        target: { type: 'recording', id: 'rec-0' },
      }),
    ).toBe(false);
  });
});
