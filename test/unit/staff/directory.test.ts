/** People by name (functions/staff/directory.ts `staffDirectory`): each login ID an answer names gets its display name. */
import { staffDirectory } from '../../../functions/staff/directory';

const accounts = [
  { loginId: 'admin', displayName: '管理者' },
  { loginId: 'tanaka', displayName: '総務課 田中 一郎' },
];

describe('staffDirectory', () => {
  it('adds the display name next to every person field, in lists and nested answers', async () => {
    const people = staffDirectory({ list: async () => accounts as never });
    const answer = {
      items: [{ deliveryId: 'A', createdBy: 'tanaka', sentBy: 'admin', approvedBy: 'admin', requestedBy: 'tanaka', updatedBy: 'gone' }],
      delivery: { createdBy: 'system' },
    };
    const named = await people.decorate(answer);
    expect(named.items[0]).toMatchObject({
      createdByName: '総務課 田中 一郎',
      sentByName: '管理者',
      approvedByName: '管理者',
      requestedByName: '総務課 田中 一郎',
      updatedByName: 'gone',
    });
    expect(named.delivery).toMatchObject({ createdByName: 'システム' });
    expect(await people.map()).toEqual({ admin: '管理者', tanaka: '総務課 田中 一郎' });
  });

  it('never changes the answer in place (the built-in 全員 segment is a frozen, shared value)', async () => {
    const everyone = Object.freeze({ segmentId: 'everyone', name: '全員', createdBy: 'system', updatedBy: 'system' });
    const named = await staffDirectory({ list: async () => accounts as never }).decorate({ items: [everyone] });
    expect(named.items[0]).toEqual({ ...everyone, createdByName: 'システム', updatedByName: 'システム' });
    expect(everyone).not.toHaveProperty('createdByName');
  });

  it('reads the accounts once for a while, and not at all for an answer without people', async () => {
    let reads = 0;
    let now = 0;
    const people = staffDirectory({ list: async () => (reads++, accounts as never) }, () => now);
    await people.decorate({ matching: 3 });
    expect(reads).toBe(0);
    await people.decorate({ createdBy: 'admin' });
    await people.decorate({ createdBy: 'tanaka' });
    expect(reads).toBe(1);
    now += 31_000;
    await people.decorate({ createdBy: 'tanaka' });
    expect(reads).toBe(2);
  });
});
