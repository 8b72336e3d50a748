/**
 * The message cannot be transformed, now or ever (a payload the transform cannot read, a value
 * it refuses). Answered `422`: reseq does not retry it, and the destination's `onFailure` policy
 * applies at once (`BLOCK`: the message becomes the failed head; `DEAD_LETTER`: it is set aside).
 */
export class PermanentTransformError extends Error {
  override readonly name = 'PermanentTransformError';
}

/** Options of a {@link RetryTransformError}. */
export interface RetryTransformErrorOptions extends ErrorOptions {
  /** The least time reseq waits before the next attempt, sent as `Retry-After`. */
  retryAfterSeconds?: number;
}

/**
 * The transform cannot run now but may later (a dependency is down, a rate limit is reached).
 * Answered `503`, with `Retry-After` when `retryAfterSeconds` is given: reseq tries the message
 * again, within the destination's `transformAttempts` and `transformTimeoutMs`.
 */
export class RetryTransformError extends Error {
  override readonly name = 'RetryTransformError';
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: RetryTransformErrorOptions = {}) {
    super(message, options);
    const seconds = options.retryAfterSeconds;
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) {
      throw new RangeError(`retryAfterSeconds must be a finite number of seconds, at least 0, not ${seconds}`);
    }
    // Retry-After takes whole seconds; rounding up keeps "at least this long" true.
    this.retryAfterSeconds = seconds === undefined ? undefined : Math.ceil(seconds);
  }
}
