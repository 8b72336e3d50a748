import { randomUUID } from 'node:crypto';
import { mapBounded } from './concurrency.js';
import { ReseqError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, type RetryOptions, type RetryPolicy, sleep } from './retry.js';
import { batchItem, encode, extraHeaders, type BatchMessage, type OutgoingMessage, type Payload, type SendOptions } from './outgoing.js';
import type {
  Channel,
  ChannelConfig,
  DeadLetter,
  Destination,
  DestinationConfig,
  DestinationStatus,
  OperatorAction,
  SendReceipt,
  TransformType,
} from './types.js';

/** What {@link ReseqClient.sendBatch} resolves to per message: the receipt ingress committed. */
export type BatchReceipt = Omit<SendReceipt, 'replayed'>;

/** How to reach reseq's ingress-service. */
export interface ReseqClientOptions {
  /** Ingress's base URL, such as `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; needed when the suite runs with security on. */
  apiKey?: string;
  /** Named in the audit of operator actions while security is off (`X-Reseq-Actor`). */
  actor?: string;
  /** How long one request may take before it is abandoned (default 30,000 ms). */
  timeoutMs?: number;
  /** How {@link ReseqClient.send} retries; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /** Called before each retry of a send, for logging or metrics. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * A client for reseq's HTTP API: sends messages and manages destinations, channels and their
 * operator controls. Stateless apart from its options; one instance may be shared.
 */
export class ReseqClient {
  private readonly baseUrl: string;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: ReseqClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /**
   * Sends one message to a channel. Resolves only once ingress committed it (`202`), to the
   * receipt with the message's sequence at each destination. Retries `503`, `429` (after its
   * `Retry-After`), gateway errors, timeouts and network errors with capped backoff, always under
   * the same idempotency key; rejects with a {@link ReseqError} for any other error status, and
   * with the last error once the attempts are used up.
   */
  async send(channel: string, payload: Payload, options: SendOptions = {}): Promise<SendReceipt> {
    const extra = extraHeaders(options.headers);
    const { body, contentType } = encode(payload, options.contentType);
    const headers = {
      ...extra,
      'Content-Type': contentType,
      'Idempotency-Key': options.idempotencyKey ?? randomUUID(),
      Accept: 'application/json',
    };
    const path = `/api/v1/channels/${encodeURIComponent(channel)}/messages`;
    const response = await this.postWithRetry(path, headers, body, options.signal);
    const receipt = (await response.json()) as Omit<SendReceipt, 'replayed'>;
    return { ...receipt, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
  }

  /**
   * Sends many messages in one request (batch ingest): ingress stores them whole or not at all,
   * in one transaction, in array order, so at each destination they get consecutive sequences in
   * that order. Resolves after the commit to one receipt per message, in order. Every message
   * carries an idempotency key (generated when absent), so the retries of this call (as for
   * {@link send}) never store a message twice; a message whose key was taken earlier by the
   * same message is answered with that message's receipt. Rejects with a {@link ReseqError} when
   * ingress refuses the batch (`400` naming the index of a bad message or `headers.<Name>` for a
   * kept header that cannot travel, `422`, ...): then nothing of it was stored. At most
   * `reseq.ingest.max-batch-items` (1,000) messages per call.
   *
   * `options.headers` are the request's further headers, as {@link SendOptions.headers}; they go
   * with every message of the batch. A message with `headers` of its own is refused with a
   * `TypeError`.
   */
  async sendBatch(
    channel: string,
    messages: readonly BatchMessage[],
    options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<BatchReceipt[]> {
    const extra = extraHeaders(options.headers);
    const items = messages.map((message, index) => {
      if ((message as OutgoingMessage).headers !== undefined) {
        throw new TypeError(`message [${index}] has headers of its own; a batch's headers go with every message, pass them as the batch's headers option`);
      }
      const { body, contentType, idempotencyKey } = message;
      return { ...batchItem(body, contentType), idempotencyKey: idempotencyKey ?? randomUUID() };
    });
    const headers = { ...extra, 'Content-Type': 'application/json', Accept: 'application/json' };
    const path = `/api/v1/channels/${encodeURIComponent(channel)}/messages/batch`;
    const response = await this.postWithRetry(path, headers, JSON.stringify(items), options.signal);
    return ((await response.json()) as { receipts: BatchReceipt[] }).receipts;
  }

  /**
   * Sends many messages with at most `concurrency` requests in flight (default 8) and resolves
   * their receipts in call order. Messages sent at the same time take their sequences in the
   * order ingress commits them, not necessarily in call order; with `concurrency: 1` they arrive
   * in call order. After a failure no further message is sent and the promise rejects with it;
   * messages already sent stay sent. Headers a message may not pass (see
   * {@link SendOptions.headers}) reject the call before any message is sent.
   */
  sendMany(
    channel: string,
    messages: readonly OutgoingMessage[],
    options: { concurrency?: number; signal?: AbortSignal } = {},
  ): Promise<SendReceipt[]> {
    try {
      messages.forEach((message) => extraHeaders(message.headers));
    } catch (error) {
      return Promise.reject(error);
    }
    return mapBounded(messages, options.concurrency ?? 8, ({ body, ...rest }) =>
      this.send(channel, body, { ...rest, ...(options.signal ? { signal: options.signal } : {}) }),
    );
  }

  /** Creates or replaces a destination; resolves to it as stored, defaults filled in. */
  putDestination(name: string, config: DestinationConfig): Promise<Destination> {
    return this.call('PUT', `/admin/v1/destinations/${encodeURIComponent(name)}`, config);
  }

  /** Reads a destination with its status. */
  getDestination(name: string): Promise<Destination> {
    return this.call('GET', `/admin/v1/destinations/${encodeURIComponent(name)}`);
  }

  /** Every destination, by name. */
  listDestinations(): Promise<Destination[]> {
    return this.call('GET', '/admin/v1/destinations');
  }

  /** A destination's cursors, backlog, head of line and dead-letter count. */
  async destinationStatus(name: string): Promise<DestinationStatus> {
    const destination = await this.getDestination(name);
    if (destination.status === undefined) {
      throw new TypeError(`destination '${name}' was read without a status`);
    }
    return destination.status;
  }

  /**
   * Deletes a destination. Refused (`409`) while a channel routes to it or while it has
   * undelivered messages, unless `force`, which drops them.
   */
  async deleteDestination(name: string, options: { force?: boolean } = {}): Promise<void> {
    const query = options.force ? '?force=true' : '';
    await this.call('DELETE', `/admin/v1/destinations/${encodeURIComponent(name)}${query}`);
  }

  /** Stops delivery to a destination; ingest goes on. */
  async pauseDestination(name: string): Promise<void> {
    await this.call('POST', `/admin/v1/destinations/${encodeURIComponent(name)}/pause`);
  }

  /** Restarts delivery to a paused destination. */
  async resumeDestination(name: string): Promise<void> {
    await this.call('POST', `/admin/v1/destinations/${encodeURIComponent(name)}/resume`);
  }

  /**
   * Creates or replaces a channel; every destination it names must exist. `keepHeaders` names
   * the sender headers its messages keep (see {@link ChannelConfig.keepHeaders}); a name that
   * cannot be kept is a {@link ReseqError} `400` naming `keepHeaders[i]`.
   */
  putChannel(name: string, channel: ChannelConfig): Promise<Channel> {
    return this.call('PUT', `/admin/v1/channels/${encodeURIComponent(name)}`, channel);
  }

  /** Reads a channel. */
  getChannel(name: string): Promise<Channel> {
    return this.call('GET', `/admin/v1/channels/${encodeURIComponent(name)}`);
  }

  /** Every channel, by name. */
  listChannels(): Promise<Channel[]> {
    return this.call('GET', '/admin/v1/channels');
  }

  /** Deletes a channel; the destinations it routed to stay. */
  async deleteChannel(name: string): Promise<void> {
    await this.call('DELETE', `/admin/v1/channels/${encodeURIComponent(name)}`);
  }

  /**
   * Every transform type a destination may name, built-in or provided by a worker's plugin, by
   * name, with how many live workers run it and a plugin's configuration schema.
   */
  listTransformTypes(): Promise<TransformType[]> {
    return this.call('GET', '/admin/v1/transform-types');
  }

  /** A destination's dead letters in sequence order, after `after` (default 0), at most `limit` (default 100). */
  deadLetters(name: string, page: { after?: number; limit?: number } = {}): Promise<DeadLetter[]> {
    const query = new URLSearchParams();
    if (page.after !== undefined) query.set('after', String(page.after));
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    const suffix = query.toString() === '' ? '' : `?${query}`;
    return this.call('GET', `/admin/v1/destinations/${encodeURIComponent(name)}/dead-letters${suffix}`);
  }

  /** One dead letter, with its kept payload in base64. */
  deadLetter(name: string, sequence: number): Promise<DeadLetter> {
    return this.call('GET', `/admin/v1/destinations/${encodeURIComponent(name)}/dead-letters/${sequence}`);
  }

  /**
   * Queues a redelivery of a dead letter, out of order by design: it arrives with
   * `Reseq-Redelivery: true`. Resolves to the recorded action.
   */
  redeliverDeadLetter(name: string, sequence: number): Promise<OperatorAction> {
    return this.call('POST', `/admin/v1/destinations/${encodeURIComponent(name)}/dead-letters/${sequence}/redeliver`);
  }

  /** Queues a new attempt at a failed head of line (`409` when the head is not blocked). */
  retryHead(name: string): Promise<OperatorAction> {
    return this.call('POST', `/admin/v1/destinations/${encodeURIComponent(name)}/head/retry`);
  }

  /** Queues recording the blocked head as a dead letter and going on (`409` when nothing is blocked). */
  skipHead(name: string): Promise<OperatorAction> {
    return this.call('POST', `/admin/v1/destinations/${encodeURIComponent(name)}/head/skip`);
  }

  /** The operator actions on a destination, newest first. */
  actions(name: string, options: { limit?: number } = {}): Promise<OperatorAction[]> {
    const query = options.limit === undefined ? '' : `?limit=${options.limit}`;
    return this.call('GET', `/admin/v1/destinations/${encodeURIComponent(name)}/actions${query}`);
  }

  /**
   * Posts until ingress answers `2xx`: retries `503`, `429` (after its `Retry-After`), gateway
   * errors, timeouts and network errors with capped backoff; rejects with a {@link ReseqError}
   * for any other status, and with the last error once the attempts are used up. The body must
   * make a repeat harmless (idempotency keys), since an attempt may have committed unseen.
   */
  private async postWithRetry(
    path: string,
    headers: Record<string, string>,
    body: Uint8Array | string,
    signal?: AbortSignal,
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let retryAfter: number | undefined;
      let error: unknown;
      try {
        const response = await this.fetch('POST', path, headers, body, signal);
        if (response.ok) {
          return response;
        }
        error = await ReseqError.from(response, 'POST');
        if (!isRetryableStatus(response.status)) {
          throw error;
        }
        retryAfter = retryAfterMs(response.headers.get('Retry-After'));
      } catch (thrown) {
        if (thrown instanceof ReseqError || signal?.aborted) {
          throw thrown;
        }
        error = thrown; // a network error or this attempt's timeout: the commit is unknown, so try again
      }
      if (attempt >= this.retry.attempts) {
        throw error;
      }
      const delayMs = retryAfter ?? backoffDelay(attempt, this.retry);
      this.options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }

  /**
   * One admin request, not retried: a repeated operator action would be recorded twice. Resolves
   * to the parsed body, or undefined for `204`.
   */
  private async call<T>(method: string, path: string, json?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (this.options.actor !== undefined) {
      headers['X-Reseq-Actor'] = this.options.actor;
    }
    const body = json === undefined ? undefined : JSON.stringify(json);
    const response = await this.fetch(method, path, headers, body);
    if (!response.ok) {
      throw await ReseqError.from(response, method);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  private fetch(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Uint8Array | string,
    signal?: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    if (this.options.apiKey !== undefined) {
      headers = { ...headers, Authorization: `Bearer ${this.options.apiKey}` };
    }
    return fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  }
}
