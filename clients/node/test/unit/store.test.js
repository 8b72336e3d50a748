import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyValueSequenceStore, MemorySequenceStore } from 'reseq-client';

test('the key-value store keeps one key per destination under its prefix', async () => {
  const map = new Map();
  const store = keyValueSequenceStore({ get: async (k) => map.get(k) ?? null, set: async (k, v) => map.set(k, v) }, 'app:');

  assert.equal(await store.lastProcessed('billing'), 0);
  await store.markProcessed('billing', 41);
  await store.markProcessed('audit', 3);

  assert.equal(await store.lastProcessed('billing'), 41);
  assert.deepEqual([...map], [['app:billing', '41'], ['app:audit', '3']]);
});

test('the memory store never moves back', async () => {
  const store = new MemorySequenceStore();
  await store.markProcessed('billing', 5);
  await store.markProcessed('billing', 3);
  assert.equal(await store.lastProcessed('billing'), 5);
});
