import './style.css';
import { ApiError, onUnauthorized } from './api';
import { describe, LACKS_ROLE } from './actions';
import { credential, forget } from './credential';
import { replace } from './dom';
import { loginForm } from './login';
import { setReadOnly } from './permissions';
import type { View } from './view';
import { channelsView } from './views/channels';
import { destinationView } from './views/destination';
import { destinationsView } from './views/destinations';

// At most one poll per second: the next starts a second after the previous one started, or when
// it finished if it took longer, so a slow API is never asked twice at once.
const POLL_MS = 1000;

const main = document.getElementById('main')!;
const problem = document.getElementById('problem')!;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;
let current: View | null = null;
let signingIn = false;

function route(): View {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  if (hash.startsWith('destinations/')) return destinationView(hash.slice('destinations/'.length));
  if (hash === 'channels') return channelsView();
  return destinationsView();
}

function show(): void {
  signingIn = false;
  current = route();
  document.title = `${current.title} · reseq console`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    const here = link.getAttribute('href') === (location.hash || '#/')
      || (link.dataset.section === 'destinations' && location.hash.startsWith('#/destinations'));
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replace(main, current.element);
  signOut.hidden = credential() === null;
  void poll(current);
}

async function poll(view: View): Promise<void> {
  if (view !== current || signingIn) return;
  const started = Date.now();
  try {
    await view.refresh();
    problem.hidden = true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // the login form took over
    problem.hidden = false;
    problem.textContent = error instanceof ApiError && error.status === 403
      ? `${LACKS_ROLE} ${error.problem.detail ?? ''}`
      : `Could not load: ${describe(error)}`;
  }
  setTimeout(() => void poll(view), Math.max(0, POLL_MS - (Date.now() - started)));
}

onUnauthorized((error) => {
  if (signingIn) return;
  signingIn = true;
  current = null;
  problem.hidden = true;
  replace(main, loginForm(error, () => {
    setReadOnly(false);
    show();
  }));
  signOut.hidden = credential() === null;
});

signOut.addEventListener('click', () => {
  forget();
  setReadOnly(false);
  show();
});

window.addEventListener('hashchange', show);
show();
// The skip link focuses the content itself: following "#main" would be taken for a route.
main.setAttribute('tabindex', '-1');
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
