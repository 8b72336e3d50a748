import { disableUnlessPermitted, perform, type Outcome } from '../actions';
import { api } from '../api';
import { drawChart } from '../chart';
import { h, setText } from '../dom';
import { count, leadersText, seconds } from '../format';
import { headline, isBlocked } from '../headline';
import { points, record } from '../history';
import { onPermissionsChange } from '../permissions';
import type { Destination } from '../types';
import type { View } from '../view';
import { actionLogSection } from './actionlog';
import { deadLettersSection } from './deadletters';

// Dead letters and the action log change only through failures and operator actions, so they
// are read every few polls, and at once after an action or when the dead-letter count moves.
const SLOW_EVERY = 5;

/** One destination: status in words, a chart, its configuration, actions, dead letters and log. */
export function destinationView(name: string): View {
  const facts = new Map<string, HTMLElement>();
  const fact = (label: string) => {
    const value = h('dd', { 'data-fact': label });
    facts.set(label, value);
    return [h('dt', {}, label), value];
  };
  const status = h('dl', { class: 'facts' },
    ...['Type', 'Paused', 'Last sequence', 'Released sequence', 'Delivered sequence', 'Backlog',
      'Oldest undelivered', 'Dead letters', 'Transform types without worker', 'Leaders'].flatMap(fact));
  const head = h('p', { class: 'headline', 'data-head': '' });
  const message = h('p', { role: 'status', class: 'outcome', 'aria-live': 'polite' });
  const outcome: Outcome = {
    ok: (text) => { message.className = 'outcome ok'; message.textContent = text; },
    fail: (text) => { message.className = 'outcome bad'; message.textContent = text; },
  };

  let latest: Destination | null = null;
  let tick = 0;
  let lastDeadLetters = -1;
  const afterAction = () => { tick = 0; void view.refresh(); };

  // Disabled until the first status says which actions apply.
  const pause = h('button', { type: 'button', 'data-action': 'pause', disabled: true }, 'Pause');
  const retry = h('button', { type: 'button', 'data-action': 'retry', disabled: true }, 'Retry head');
  const skip = h('button', { type: 'button', 'data-action': 'skip', disabled: true }, 'Skip head');
  pause.addEventListener('click', () => {
    const paused = latest?.status.paused ?? false;
    void perform({
      title: `${paused ? 'Resume' : 'Pause'} ${name}?`,
      question: paused
        ? 'Deliveries to this destination start again, in order, from where they stopped.'
        : 'Deliveries to this destination stop until it is resumed; messages keep arriving and wait in order.',
      confirmLabel: paused ? 'Resume' : 'Pause',
      run: () => (paused ? api.resume(name) : api.pause(name)),
      done: () => (paused ? `${name} resumed.` : `${name} paused.`),
    }, outcome).then((ok) => ok && afterAction());
  });
  retry.addEventListener('click', () => void perform({
    title: `Retry the head of ${name}?`,
    question: `${latest ? headline(latest.status) : ''}. Retry forgets the failure and tries that message again.`,
    confirmLabel: 'Retry',
    run: () => api.retryHead(name),
    done: (action) => `Retry of sequence ${action?.sequence ?? '?'} queued.`,
  }, outcome).then((ok) => ok && afterAction()));
  skip.addEventListener('click', () => void perform({
    title: `Skip the head of ${name}?`,
    question: `${latest ? headline(latest.status) : ''}. Skip records that message as a dead letter (stage SKIPPED) `
      + 'and goes on with the next one in order. It can be redelivered later from the dead letters.',
    confirmLabel: 'Skip',
    run: () => api.skipHead(name),
    done: (action) => `Skip of sequence ${action?.sequence ?? '?'} queued.`,
  }, outcome).then((ok) => ok && afterAction()));

  const chart = h('figure', { class: 'chart-figure' });
  const configuration = h('pre', { class: 'configuration', tabindex: 0 });
  const deadLetters = deadLettersSection(name, outcome, afterAction);
  const actionLog = actionLogSection(name);

  const element = h('section', { 'aria-labelledby': 'destination-title' },
    h('p', {}, h('a', { href: '#/' }, '← All destinations')),
    h('h1', { id: 'destination-title' }, `Destination ${name}`),
    head,
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Operator actions' }, pause, retry, skip),
    message,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'status-title' }, h('h2', { id: 'status-title' }, 'Status'), status),
      h('section', { 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, 'Backlog and deliveries'), chart)),
    deadLetters.element,
    actionLog.element,
    h('section', { 'aria-labelledby': 'configuration-title' },
      h('h2', { id: 'configuration-title' }, 'Configuration'),
      h('p', { class: 'hint' }, 'As the API shows it: URL query values and header values are masked.'),
      configuration));

  function render(destination: Destination): void {
    const s = destination.status;
    setText(facts.get('Type')!, destination.unreadable ? `unreadable: ${destination.unreadable}` : destination.type ?? '');
    setText(facts.get('Paused')!, s.paused ? 'yes, paused' : 'no');
    setText(facts.get('Last sequence')!, count(s.lastSequence));
    setText(facts.get('Released sequence')!, count(s.releasedSequence));
    setText(facts.get('Delivered sequence')!, count(s.deliveredSequence));
    setText(facts.get('Backlog')!, count(s.backlog));
    setText(facts.get('Oldest undelivered')!, s.oldestUndeliveredAgeMs === null ? '–' : `${seconds(s.oldestUndeliveredAgeMs)} ago`);
    setText(facts.get('Dead letters')!, count(s.deadLetters));
    setText(facts.get('Transform types without worker')!,
      s.transformTypesWithoutWorker === undefined ? 'unknown (Redis not readable)'
        : s.transformTypesWithoutWorker.join(', ') || 'none');
    setText(facts.get('Leaders')!, leadersText(s.leaders));
    setText(head, `${s.paused ? 'Paused. ' : ''}Head of line: ${headline(s)}`);
    head.classList.toggle('bad', isBlocked(s));
    setText(pause, s.paused ? 'Resume' : 'Pause');
    disableUnlessPermitted(pause, true);
    disableUnlessPermitted(retry, isBlocked(s));
    disableUnlessPermitted(skip, Boolean(s.deliveryHead || s.headOfLine));
    const { status: _status, name: _name, ...config } = destination;
    setText(configuration, JSON.stringify(config, null, 2));
    drawChart(chart, points(name));
  }

  onPermissionsChange(() => { if (latest) render(latest); deadLetters.render(); });

  const view: View = {
    title: `Destination ${name}`,
    element,
    async refresh() {
      latest = await api.destination(name);
      record([latest]);
      render(latest);
      const moved = latest.status.deadLetters !== lastDeadLetters;
      if (tick % SLOW_EVERY === 0 || moved) {
        lastDeadLetters = latest.status.deadLetters;
        await Promise.all([deadLetters.refresh(), actionLog.refresh()]);
      }
      tick++;
    },
  };
  return view;
}
