import { credential } from './credential';
import type { Channel, DeadLetter, Destination, OperatorAction, Problem } from './types';

/** A call the API refused: its status and the problem it answered with. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

type Listener = (error: ApiError) => void;
const unauthorizedListeners: Listener[] = [];

/** Called on every 401, so the page can ask for a credential wherever the call came from. */
export function onUnauthorized(listener: Listener): void {
  unauthorizedListeners.push(listener);
}

async function call<T>(method: string, path: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const bearer = credential();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  const response = await fetch(path, { method, headers, cache: 'no-store' });
  if (!response.ok) {
    const error = new ApiError(response.status, await problemOf(response));
    if (response.status === 401) {
      unauthorizedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    return (await response.json()) as Problem;
  } catch {
    // A proxy's HTML error page or an empty body: say what we know.
    return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  }
}

const path = (name: string) => `/admin/v1/destinations/${encodeURIComponent(name)}`;

export const api = {
  destinations: () => call<Destination[]>('GET', '/admin/v1/destinations'),
  destination: (name: string) => call<Destination>('GET', path(name)),
  channels: () => call<Channel[]>('GET', '/admin/v1/channels'),
  deadLetters: (name: string) => call<DeadLetter[]>('GET', `${path(name)}/dead-letters?limit=100`),
  deadLetter: (name: string, sequence: number) => call<DeadLetter>('GET', `${path(name)}/dead-letters/${sequence}`),
  actions: (name: string) => call<OperatorAction[]>('GET', `${path(name)}/actions?limit=50`),
  pause: (name: string) => call<null>('POST', `${path(name)}/pause`),
  resume: (name: string) => call<null>('POST', `${path(name)}/resume`),
  retryHead: (name: string) => call<OperatorAction>('POST', `${path(name)}/head/retry`),
  skipHead: (name: string) => call<OperatorAction>('POST', `${path(name)}/head/skip`),
  redeliver: (name: string, sequence: number) =>
    call<OperatorAction>('POST', `${path(name)}/dead-letters/${sequence}/redeliver`),
};
