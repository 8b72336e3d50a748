import { disableUnlessPermitted, perform, type Outcome } from '../actions';
import { api } from '../api';
import { h, setText, syncRows } from '../dom';
import { when } from '../format';
import { preview } from '../payload';
import type { DeadLetter } from '../types';

/** A destination's dead letters with a payload preview and a redeliver button each. */
export function deadLettersSection(name: string, outcome: Outcome, changed: () => void) {
  const payloads = new Map<number, string>();
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No dead letters.');
  const table = h('table', { class: 'dead-letters', hidden: true },
    h('caption', { class: 'visually-hidden' }, `Dead letters of ${name}`),
    h('thead', {}, h('tr', {},
      ...['Sequence', 'Stage', 'Error', 'Attempts', 'Content type', 'Dead-lettered', 'Redelivered', 'Payload', '']
        .map((label) => h('th', { scope: 'col' }, label)))),
    body);
  const element = h('section', { 'aria-labelledby': 'dead-letters-title' },
    h('h2', { id: 'dead-letters-title' }, 'Dead letters'),
    h('div', { class: 'table-scroll' }, table), empty);

  function createRow(letter: DeadLetter): HTMLTableRowElement {
    const button = h('button', { type: 'button', class: 'redeliver' }, 'Redeliver');
    button.addEventListener('click', () => void perform({
      title: `Redeliver ${name} #${letter.sequence}?`,
      question: `Deliver the dead letter at sequence ${letter.sequence} once more, outside the ordered stream `
        + '(with Reseq-Redelivery: true). The delivered cursor does not move.',
      confirmLabel: 'Redeliver',
      run: () => api.redeliver(name, letter.sequence),
      done: () => `Redelivery of sequence ${letter.sequence} queued.`,
    }, outcome).then((ok) => ok && changed()));
    return h('tr', { 'data-sequence': letter.sequence },
      h('th', { scope: 'row', class: 'num' }, String(letter.sequence)),
      h('td'), h('td', { class: 'error-text' }), h('td', { class: 'num' }), h('td'), h('td'), h('td'),
      h('td', {}, h('code', { class: 'payload' })), h('td', {}, button));
  }

  function updateRow(row: HTMLTableRowElement, letter: DeadLetter): void {
    const c = row.cells;
    setText(c[1], letter.stage);
    setText(c[2], letter.error ?? '');
    setText(c[3], letter.attempts === null ? '–' : String(letter.attempts));
    setText(c[4], letter.contentType ?? '');
    setText(c[5], when(letter.deadLetteredAt));
    setText(c[6], when(letter.redeliveredAt));
    setText(c[7].firstElementChild!, payloads.get(letter.sequence) ?? '…');
    disableUnlessPermitted(c[8].firstElementChild as HTMLButtonElement, true);
  }

  let latest: DeadLetter[] = [];
  async function refresh(): Promise<void> {
    latest = await api.deadLetters(name);
    // A payload never changes once dead-lettered: fetch each once, the first 20 only.
    for (const letter of latest.slice(0, 20)) {
      if (payloads.has(letter.sequence)) continue;
      const full = await api.deadLetter(name, letter.sequence);
      payloads.set(letter.sequence, preview(full.payload, full.contentType));
    }
    render();
  }

  function render(): void {
    syncRows(body, latest, (l) => String(l.sequence), createRow, updateRow);
    empty.hidden = latest.length > 0;
    table.hidden = latest.length === 0;
  }

  return { element, refresh, render };
}
