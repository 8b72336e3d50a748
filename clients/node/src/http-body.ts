import type { IncomingMessage } from 'node:http';

/** A request that is not what reseq sends, answered with `status` and `message`. */
export class RejectedRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request's body: `preset` when a raw-body parser ran before (`express.raw()`, a Fastify
 * buffer parser), else read from the stream, at most `limit` bytes (`413` beyond).
 */
export async function readBody(req: IncomingMessage, preset: unknown, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(preset)) {
    if (preset.length > limit) {
      throw new RejectedRequest(413, `the body is over ${limit} bytes`);
    }
    return preset;
  }
  if (preset !== undefined && req.readableEnded) {
    // A JSON or text parser consumed the stream; re-encoding its result could change the bytes.
    throw new Error("the request body was already parsed; mount the handler before body parsers, or read the body as bytes (express.raw(), a Fastify content type parser with parseAs: 'buffer')");
  }
  // Refuse a declared oversize body before reading any of it.
  if (Number(req.headers['content-length']) > limit) {
    throw new RejectedRequest(413, `the body is over ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new RejectedRequest(413, `the body is over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
