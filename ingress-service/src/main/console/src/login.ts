import type { ApiError } from './api';
import { credential, remember } from './credential';
import { h } from './dom';

/**
 * The sign-in form, shown when the API answers 401. It asks for an API key or an access token,
 * which is kept in sessionStorage and sent as a Bearer credential; the server records the
 * operator's name from it, so nothing else is asked.
 */
export function loginForm(error: ApiError, signedIn: () => void): HTMLElement {
  const rejected = credential() !== null;
  const input = h('input', {
    id: 'credential', name: 'credential', type: 'password', required: true,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'login-help',
  });
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in'),
    rejected
      ? h('p', { role: 'alert', class: 'outcome bad' }, `The key was not accepted: ${error.problem.detail ?? error.message}`)
      : null,
    h('p', { id: 'login-help' },
      'This reseq has security on. Enter an API key or an access token (JWT): it is kept in this tab only '
      + '(sessionStorage) and sent as Authorization: Bearer.'),
    h('label', { for: 'credential' }, 'API key or access token'),
    input,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    remember(value);
    signedIn();
  });
  queueMicrotask(() => input.focus());
  return form;
}
