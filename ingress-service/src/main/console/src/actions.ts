import { ApiError } from './api';
import { confirmAction } from './confirm';
import { isReadOnly, setReadOnly } from './permissions';
import type { OperatorAction } from './types';

export const LACKS_ROLE = 'Your key lacks the role for this.';

/** Where actions report what happened: a live region that screen readers announce. */
export interface Outcome {
  ok(text: string): void;
  fail(text: string): void;
}

export interface ActionSpec {
  title: string;
  question: string;
  confirmLabel: string;
  run: () => Promise<OperatorAction | null>;
  done: (recorded: OperatorAction | null) => string;
}

/** Asks, runs the action, and reports its result or the problem's detail. */
export async function perform(spec: ActionSpec, outcome: Outcome): Promise<boolean> {
  if (!(await confirmAction(spec.title, spec.question, spec.confirmLabel))) return false;
  try {
    const recorded = await spec.run();
    outcome.ok(spec.done(recorded));
    return true;
  } catch (error) {
    outcome.fail(describe(error));
    if (error instanceof ApiError && error.status === 403) setReadOnly(true);
    return false;
  }
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const detail = error.problem.detail ?? error.message;
    if (error.status === 403) return `${LACKS_ROLE} (${detail})`;
    return `${error.problem.title ?? 'Error'} (${error.status}): ${detail}`;
  }
  return `The request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** An action button, disabled while the session is known to be read-only. */
export function disableUnlessPermitted(button: HTMLButtonElement, applies: boolean): void {
  button.disabled = !applies || isReadOnly();
  button.title = isReadOnly() ? LACKS_ROLE : '';
}
