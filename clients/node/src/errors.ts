/**
 * A problem as reseq answers every error: `application/problem+json` (RFC 9457), with the
 * extension members some problems carry (`errors`, `destinations`, `limit`, ...).
 */
export interface Problem {
  /** `https://reseq.dev/problems/<slug>`. */
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** For `400` and `422`: one entry per invalid field. */
  errors?: { field: string; message: string }[];
  [member: string]: unknown;
}

const PROBLEM_TYPE_PREFIX = 'https://reseq.dev/problems/';

/**
 * reseq answered a request with an error status. Carries the status and the problem it sent,
 * so callers can branch on {@link ReseqError.status} or {@link ReseqError.code} rather than on
 * message text.
 */
export class ReseqError extends Error {
  override readonly name = 'ReseqError';

  /**
   * @param status the HTTP status
   * @param problem the parsed problem+json body; undefined when the body was not one
   * @param method the request's method
   * @param url the request's URL
   */
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly method: string,
    readonly url: string,
  ) {
    super(`${method} ${url}: ${status} ${problem?.detail ?? problem?.title ?? 'without a problem body'}`);
  }

  /** The problem type's slug, such as `not-found`, `backlog-exceeded` or `forbidden`. */
  get code(): string | undefined {
    const type = this.problem?.type;
    return type?.startsWith(PROBLEM_TYPE_PREFIX) ? type.slice(PROBLEM_TYPE_PREFIX.length) : undefined;
  }

  /** Reads a failed response's body into an error; a body that is not JSON leaves `problem` undefined. */
  static async from(response: Response, method: string): Promise<ReseqError> {
    let problem: Problem | undefined;
    try {
      const parsed: unknown = JSON.parse(await response.text());
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        problem = parsed as Problem;
      }
    } catch {
      // A proxy in front of reseq may answer with HTML or nothing; the status still says what happened.
    }
    return new ReseqError(response.status, problem, method, response.url);
  }
}
