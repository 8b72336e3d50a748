import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, RejectedRequest } from './http-body.js';
import { PermanentTransformError, RetryTransformError } from './transform-errors.js';
import { type Answer, InvalidReply, problem, readMetadata, toAnswer, toTransformMessage, type TransformMessage, type TransformResult } from './transform-wire.js';

/** Transforms one message: resolves to the new payload, or a reply that also sets its content type and headers. */
export type TransformFunction = (message: TransformMessage) => Promise<TransformResult> | TransformResult;

/** Options of a {@link transformHandler}. */
export interface TransformHandlerOptions {
  /** The largest body taken; larger ones are answered `413` (default 16 MiB). */
  maxBodyBytes?: number;
  /**
   * Told of every failure answered with `500`: an error the function threw that is neither a
   * {@link PermanentTransformError} nor a {@link RetryTransformError}, or a reply that cannot be
   * sent (default: `console.error`, which keeps the stack the answer leaves out).
   */
  onError?: (error: unknown, message: TransformMessage | undefined) => void;
}

/** A Fastify request, or anything else that holds the raw request and a body a raw-body parser read. */
export interface RawRequestHolder {
  raw: IncomingMessage;
  body?: unknown;
}

/** A Fastify reply, or anything else that holds the raw response; `hijack()` is called when present. */
export interface RawReplyHolder {
  raw: ServerResponse;
  hijack?: () => unknown;
}

/**
 * A request handler for `http.createServer` and Express (`(req, res)`), and for Fastify routes
 * (`(request, reply)`, recognised by their `raw` members). It always answers the request itself.
 */
export type TransformRequestHandler = (
  req: (IncomingMessage & { body?: unknown }) | RawRequestHolder,
  res: ServerResponse | RawReplyHolder,
) => Promise<void>;

/**
 * Serves `fn` as the endpoint of a destination's `http` transform: reseq posts each message's
 * payload with its metadata, and the answer is the new payload.
 *
 * - what `fn` resolves to is answered `200`: a string as `text/plain; charset=utf-8`, bytes
 *   with the incoming content type, any other value as JSON, or a {@link TransformReply} that
 *   sets the content type and the message's travelling headers;
 * - a {@link PermanentTransformError} is answered `422` (reseq does not retry), a
 *   {@link RetryTransformError} `503` with `Retry-After` (reseq retries), anything else `500`
 *   (reseq retries) with the error's message but never its stack;
 * - a request that is not reseq's is answered `405` (not a `POST`) or `400` (its `Reseq-*`
 *   headers missing or wrong), a body over `maxBodyBytes` `413`.
 *
 * Mount it before any body parser (or behind `express.raw()`): it needs the bytes as sent.
 */
export function transformHandler(fn: TransformFunction, options: TransformHandlerOptions = {}): TransformRequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const onError = options.onError ?? ((error: unknown) => console.error('reseq transform:', error));

  return async (reqOrHolder, resOrHolder) => {
    const { req, preset } = isRequestHolder(reqOrHolder)
      ? { req: reqOrHolder.raw, preset: reqOrHolder.body }
      : { req: reqOrHolder, preset: reqOrHolder.body };
    let res: ServerResponse;
    if (isReplyHolder(resOrHolder)) {
      // Fastify must leave the raw response to us, or it answers a second time once we return.
      resOrHolder.hijack?.();
      res = resOrHolder.raw;
    } else {
      res = resOrHolder;
    }

    let message: TransformMessage | undefined;
    let answer: Answer;
    try {
      if (req.method !== 'POST') {
        throw new RejectedRequest(405, `reseq's http transform posts; ${req.method} is not served here`);
      }
      const metadata = readMetadata(req);
      message = toTransformMessage(metadata, await readBody(req, preset, maxBodyBytes));
      answer = toAnswer(await fn(message), message);
    } catch (error) {
      answer = failure(error, message, onError);
    }
    write(req, res, answer);
  };
}

function failure(error: unknown, message: TransformMessage | undefined, onError: (error: unknown, message: TransformMessage | undefined) => void): Answer {
  if (error instanceof RejectedRequest) {
    const [slug, title] = REJECTIONS[error.status] ?? ['bad-request', 'Bad request'];
    return problem(error.status, slug, title, error.message, error.status === 405 ? { Allow: 'POST' } : {});
  }
  if (error instanceof PermanentTransformError) {
    return problem(422, 'transform-rejected', 'The transform rejected the message', error.message);
  }
  if (error instanceof RetryTransformError) {
    const retryAfter: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    return problem(503, 'transform-unavailable', 'The transform cannot run now; try again', error.message, retryAfter);
  }
  try {
    onError(error, message);
  } catch {
    // A failing logger must not leave reseq without an answer.
  }
  const detail = error instanceof InvalidReply ? `the transform's reply cannot be sent: ${error.message}` : describe(error);
  return problem(500, 'transform-failed', 'The transform failed', detail);
}

const REJECTIONS: Record<number, [string, string]> = {
  400: ['bad-request', 'Not a request of reseq’s http transform'],
  405: ['method-not-allowed', 'Method not allowed'],
  413: ['payload-too-large', 'Payload too large'],
};

/** The message of what was thrown, never its stack: the answer may be logged or shown where the code is not. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.message || error.name;
  }
  return `the transform threw ${String(error)}`;
}

function write(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  // A body left unread (refused early, or over the limit) is not worth reading to keep the connection.
  const headers = req.readableEnded ? answer.headers : { ...answer.headers, Connection: 'close' };
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function isRequestHolder(value: object): value is RawRequestHolder {
  const raw = (value as { raw?: unknown }).raw;
  return typeof raw === 'object' && raw !== null && typeof (raw as IncomingMessage).headers === 'object';
}

function isReplyHolder(value: object): value is RawReplyHolder {
  const raw = (value as { raw?: unknown }).raw;
  return typeof raw === 'object' && raw !== null && typeof (raw as ServerResponse).writeHead === 'function';
}
