import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, isRetryableStatus, retryAfterMs } from '../../dist/retry.js';

const policy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 5_000 };

test('the backoff doubles from the initial delay up to the cap', () => {
  const most = (attempt) => backoffDelay(attempt, policy, () => 1);
  assert.deepEqual([1, 2, 3, 4, 6, 7, 50].map(most), [100, 200, 400, 800, 3_200, 5_000, 5_000]);
});

test('the jitter keeps at least half of the backoff', () => {
  assert.equal(backoffDelay(3, policy, () => 0), 200);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('2', now), 2_000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now), 3_000);
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(retryAfterMs(null, now), undefined);
  assert.equal(retryAfterMs('soon', now), undefined);
});

test('only statuses that store nothing are retried', () => {
  assert.deepEqual([400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504].filter(isRetryableStatus), [408, 429, 502, 503, 504]);
});
