/** How {@link ReseqClient.send} retries a message ingress could not take yet. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 10; `Infinity` never gives up). */
  attempts?: number;
  /** The backoff before the second attempt (default 100 ms); it doubles each time. */
  initialDelayMs?: number;
  /** The cap on the backoff (default 5,000 ms). A server's `Retry-After` is honoured as given. */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 5_000 };

/**
 * Statuses that say "nothing was stored, try again": `503` (the store cannot commit), `429`
 * (a destination's backlog is over its limit) and the gateway answers of a proxy in front of
 * ingress (`408`, `502`, `504`), after which the commit is unknown. A retry carries the same
 * `Idempotency-Key`, so a message that was committed after all is answered, not stored twice.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, and jittered to between
 * half and all of it, so that many senders turned away at once do not come back at once.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30);
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date; undefined when absent
 * or unreadable.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(header.trim())) {
    return Number(header.trim()) * 1_000;
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
