/** The bridge's settings item on DynamoDB Local (a fresh table): created once, saved only over the version read. */
import { randomUUID } from 'node:crypto';
import { ensureTable } from '../../../local/dynamodb-local';
import { DynamoBridgeSettingsStore } from '../../../functions/adapters/aws/bridge-settings-store';
import { DEFAULT_BRIDGE_SETTINGS } from '../../../functions/disaster-mail/model';
import { it_env, testDb } from '../../support/integration';

const table = `bridge-${randomUUID().slice(0, 8)}`;
const store = new DynamoBridgeSettingsStore(testDb(), table);

beforeAll(async () => {
  await ensureTable(it_env().dynamodbEndpoint, table);
});

it('has nothing before the first save, creates once, and saves only over the version read', async () => {
  expect(await store.get()).toBeNull();
  const first = {
    settings: { ...DEFAULT_BRIDGE_SETTINGS, acceptedSenders: ['bousai@city.arao.example'] },
    version: 1,
    updatedAt: '2026-12-07T00:00:00.000Z',
    updatedBy: 'bousai',
  };
  expect(await store.save(first, 0)).toBe('saved');
  // A second "first save" (two editors who both read nothing) loses.
  expect(await store.save({ ...first, updatedBy: 'other' }, 0)).toBe('conflict');
  expect(await store.get()).toEqual(first);
  const second = { ...first, settings: { ...first.settings, duplicateWindowMinutes: 30 }, version: 2 };
  expect(await store.save(second, 2)).toBe('conflict');
  expect(await store.save(second, 1)).toBe('saved');
  expect((await store.get())?.settings.duplicateWindowMinutes).toBe(30);
});
