import type { Destination } from './types';

// The status history the chart draws, kept in the page only: the API has no history, so the
// console samples what it polls. Reloading the page starts it again.

export interface Sample {
  at: number;
  backlog: number;
  delivered: number;
}

export interface Point {
  at: number;
  backlog: number;
  perSecond: number;
}

const KEEP_MS = 5 * 60_000;
const samples = new Map<string, Sample[]>();

export function record(destinations: Destination[], at = Date.now()): void {
  for (const destination of destinations) {
    if (!destination.status) continue;
    const list = samples.get(destination.name) ?? [];
    const last = list[list.length - 1];
    // Two views may poll the same destination within one tick; one sample is enough.
    if (last && at - last.at < 500) continue;
    list.push({ at, backlog: destination.status.backlog, delivered: destination.status.deliveredSequence });
    while (list.length > 0 && at - list[0].at > KEEP_MS) list.shift();
    samples.set(destination.name, list);
  }
}

/** Backlog and deliveries per second, the rate taken between consecutive samples. */
export function points(name: string): Point[] {
  const list = samples.get(name) ?? [];
  const result: Point[] = [];
  for (let i = 1; i < list.length; i++) {
    const elapsed = (list[i].at - list[i - 1].at) / 1000;
    // A re-created destination starts its cursor again; never draw a negative rate.
    const delivered = Math.max(0, list[i].delivered - list[i - 1].delivered);
    result.push({ at: list[i].at, backlog: list[i].backlog, perSecond: elapsed > 0 ? delivered / elapsed : 0 });
  }
  return result;
}

export const HISTORY_MINUTES = KEEP_MS / 60_000;
