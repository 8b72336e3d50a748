import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, RejectedRequest } from './http-body.js';
import { MemorySequenceStore, type SequenceStore } from './store.js';

/** A message as reseq delivered it to an HTTP destination. */
export interface ReceivedMessage {
  /** The destination it was delivered for (`Reseq-Destination`). */
  destination: string;
  /** Its place in the destination's order, from 1 (`Reseq-Sequence`). */
  sequence: number;
  /** The id ingress gave it (`Reseq-Message-Id`). */
  messageId: string;
  /** `<destination>:<sequence>`, the same on every repeat (`Idempotency-Key`). */
  idempotencyKey: string;
  /** The transformed payload's `Content-Type`. */
  contentType: string;
  /** The transformed payload. */
  body: Buffer;
  /**
   * True for an operator's redelivery of a dead letter: out of order by design, below sequences
   * already handled, so it reaches the handler without the repeat check (`Reseq-Redelivery`).
   */
  redelivery: boolean;
  /** The sending egress leader's fencing epoch (`Reseq-Epoch`), when present. */
  epoch: number | undefined;
  /**
   * The delivery's further request headers, keyed by lower-case name as Node gives them (a
   * repeated header joined with `, `): the message's travelling headers (those its channel keeps,
   * as the transform chain left them) and any headers the destination is configured to send. The
   * HTTP machinery (`Host`, `Content-Length`, `Connection`, `Transfer-Encoding`, `User-Agent`,
   * ...), `Content-Type`, `Idempotency-Key` and every `Reseq-*` header are left out; they are
   * the fields above.
   */
  headers: Record<string, string>;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** Handles one message; its promise resolving means "done", and only then is reseq told so. */
export type MessageHandler = (message: ReceivedMessage) => Promise<void> | void;

/** Options of an {@link orderedReceiver}. */
export interface OrderedReceiverOptions {
  /** Where the last handled sequence per destination is kept (default: in memory). */
  store?: SequenceStore;
  /** Told of every failure answered with `5xx` (default: `console.error`). */
  onError?: (error: unknown, message: ReceivedMessage | undefined) => void;
  /** The largest body taken; larger ones are answered `413` (default 16 MiB). */
  maxBodyBytes?: number;
}

/**
 * A request handler for `http.createServer`, and Express or Fastify (`@fastify/middie`)
 * middleware: `(req, res, next?)`. It always answers the request itself.
 */
export type OrderedRequestHandler = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

/**
 * Receives reseq's deliveries to an HTTP destination and hands each message to `handler` once,
 * in order:
 *
 * - it answers `204` only after the handler's promise resolved, and `500` when it rejected, so
 *   that reseq delivers the same message again (and nothing after it meanwhile);
 * - a repeat (a sequence at or below the last one handled for its destination, which reseq sends
 *   when it did not get an answer) is answered `204` without calling the handler;
 * - messages of one destination are handled one at a time, even if a replaced egress leader's
 *   late request overlaps its successor's.
 *
 * Sequences may have gaps: a message an operator skipped or that was dead-lettered never
 * arrives in the ordered stream. An operator's redelivery of a dead letter arrives later with
 * `redelivery: true`, and is handed over whatever the last sequence; de-duplicate those on
 * `idempotencyKey` if your handler must see them once.
 *
 * A destination with batched delivery posts several messages in one request (a JSON array, with
 * `Reseq-First-Sequence`): they are handed to the handler one by one, in order, each checked for
 * repeats and recorded as handled on its own, and the request is answered `204` after the last.
 * When the handler fails midway, the answer is `500`; reseq sends the batch again and the ones
 * already handled are skipped as repeats.
 *
 * Mount it before any body parser (or behind `express.raw()`): it needs the bytes as sent.
 */
export function orderedReceiver(handler: MessageHandler, options: OrderedReceiverOptions = {}): OrderedRequestHandler {
  const store = options.store ?? new MemorySequenceStore();
  const onError = options.onError ?? ((error: unknown) => console.error('reseq receiver:', error));
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const serial = new SerialPerKey();

  const handle = async (message: ReceivedMessage): Promise<void> => {
    if (message.redelivery) {
      await handler(message);
      return;
    }
    await serial.run(message.destination, async () => {
      if (message.sequence <= (await store.lastProcessed(message.destination))) {
        return;
      }
      await handler(message);
      await store.markProcessed(message.destination, message.sequence);
    });
  };

  return async (req, res) => {
    let message: ReceivedMessage | undefined;
    try {
      const body = await readBody(req, req.body, maxBodyBytes);
      const messages = req.headers['reseq-first-sequence'] === undefined ? [toMessage(req, body)] : toBatch(req, body);
      for (const next of messages) {
        message = next;
        await handle(next);
      }
      answer(res, 204);
    } catch (error) {
      if (error instanceof RejectedRequest) {
        answer(res, error.status, error.message);
        return;
      }
      onError(error, message);
      answer(res, 500, 'the handler failed; deliver again');
    }
  };
}

function toMessage(req: IncomingMessage, body: Buffer): ReceivedMessage {
  const destination = header(req, 'reseq-destination');
  const sequence = Number(header(req, 'reseq-sequence'));
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RejectedRequest(400, 'Reseq-Sequence must be a positive integer');
  }
  const epoch = req.headers['reseq-epoch'];
  return {
    destination,
    sequence,
    messageId: header(req, 'reseq-message-id'),
    idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : `${destination}:${sequence}`,
    contentType: req.headers['content-type'] ?? 'application/octet-stream',
    body,
    redelivery: req.headers['reseq-redelivery'] === 'true',
    epoch: typeof epoch === 'string' && epoch !== '' ? Number(epoch) : undefined,
    headers: furtherHeaders(req),
    text: () => body.toString('utf8'),
    json: <T>() => JSON.parse(body.toString('utf8')) as T,
  };
}

/** One item of a batched delivery, as egress writes it. */
interface BatchItem {
  sequence: number;
  messageId: string;
  idempotencyKey: string;
  contentType?: string;
  headers?: Record<string, string>;
  body?: unknown;
  bodyBase64?: string;
}

function toBatch(req: IncomingMessage, body: Buffer): ReceivedMessage[] {
  const destination = header(req, 'reseq-destination');
  let items: unknown;
  try {
    items = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RejectedRequest(400, 'a batch must be a JSON array');
  }
  if (!Array.isArray(items)) {
    throw new RejectedRequest(400, 'a batch must be a JSON array');
  }
  const epoch = req.headers['reseq-epoch'];
  const shared = furtherHeaders(req);
  return items.map((raw: unknown, index: number) => {
    const item = raw as BatchItem;
    if (typeof item !== 'object' || item === null || !Number.isSafeInteger(item.sequence) || item.sequence < 1) {
      throw new RejectedRequest(400, `batch item [${index}] needs a positive integer sequence`);
    }
    const bytes = item.bodyBase64 !== undefined ? Buffer.from(item.bodyBase64, 'base64')
      : Buffer.from(JSON.stringify(item.body ?? null), 'utf8');
    return {
      destination,
      sequence: item.sequence,
      messageId: String(item.messageId),
      idempotencyKey: item.idempotencyKey ?? `${destination}:${item.sequence}`,
      contentType: item.contentType ?? 'application/octet-stream',
      body: bytes,
      redelivery: false,
      epoch: typeof epoch === 'string' && epoch !== '' ? Number(epoch) : undefined,
      headers: { ...shared, ...lowerCased(item.headers ?? {}) },
      text: () => bytes.toString('utf8'),
      json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
    };
  });
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Request headers that are the exchange's or reseq's own, not the message's. */
const OWN_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer',
  'upgrade', 'expect', 'accept-encoding', 'user-agent', 'idempotency-key',
]);

function furtherHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || OWN_HEADERS.has(name) || name.startsWith('reseq-')) {
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') {
    throw new RejectedRequest(400, `not a reseq delivery: the ${name} header is missing`);
  }
  return value;
}

function answer(res: ServerResponse, status: number, text?: string): void {
  if (res.headersSent) {
    return;
  }
  res.writeHead(status, text === undefined ? {} : { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Runs tasks one at a time per key, in the order they were given. */
class SerialPerKey {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once its queue is empty, so that the map does not grow with every destination ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    });
    return result;
  }
}
