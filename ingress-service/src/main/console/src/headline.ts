import { plural, seconds } from './format';
import type { DestinationStatus } from './types';

/** The head of line in words: what the destination waits for, and why. */
export function headline(status: DestinationStatus): string {
  // Egress holds a message ahead of everything the resequencer released after it.
  const held = status.deliveryHead;
  if (held) {
    return `held by egress at sequence ${held.sequence}: ${held.error ?? 'rejected by the destination'}`;
  }
  const head = status.headOfLine;
  if (!head) {
    if (status.backlog > 0) {
      return `all released; ${plural(status.backlog, 'message')} being delivered`;
    }
    return 'nothing waiting';
  }
  const age = seconds(head.ageMs);
  switch (head.state) {
    case 'PROCESSING':
      return `waiting ${age} for sequence ${head.sequence}: transform running`;
    case 'FAILED':
      return `sequence ${head.sequence}: transform failed after ${plural(head.attempts ?? 1, 'attempt')}: `
        + `${head.error ?? 'no error given'}`;
    case 'DONE':
      return `sequence ${head.sequence} transformed, being released (${age})`;
    case 'UNREADABLE':
      return `sequence ${head.sequence}: stored result unreadable, transforming again (${age})`;
    default:
      return `sequence ${head.sequence}: ${String(head.state)} for ${age}`;
  }
}

/** Whether an operator's retry or skip applies: a failed transform or a message egress holds. */
export function isBlocked(status: DestinationStatus): boolean {
  return status.deliveryHead !== null && status.deliveryHead !== undefined
    || status.headOfLine?.state === 'FAILED';
}
