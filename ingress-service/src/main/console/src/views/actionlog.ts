import { api } from '../api';
import { h, setText, syncRows } from '../dom';
import { when } from '../format';
import type { OperatorAction } from '../types';

/** The operator actions on a destination, newest first, as the server recorded them. */
export function actionLogSection(name: string) {
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No operator actions recorded.');
  const table = h('table', { class: 'action-log', hidden: true },
    h('caption', { class: 'visually-hidden' }, `Operator actions on ${name}, newest first`),
    h('thead', {}, h('tr', {},
      ...['When', 'Action', 'Sequence', 'Operator', 'Detail'].map((label) => h('th', { scope: 'col' }, label)))),
    body);
  const element = h('section', { 'aria-labelledby': 'action-log-title' },
    h('h2', { id: 'action-log-title' }, 'Action log'),
    h('div', { class: 'table-scroll' }, table), empty);

  function update(row: HTMLTableRowElement, action: OperatorAction): void {
    const c = row.cells;
    setText(c[0], when(action.at));
    setText(c[1], action.action);
    setText(c[2], action.sequence === null ? '–' : String(action.sequence));
    setText(c[3], action.actor ?? '–');
    setText(c[4], action.detail ?? '');
  }

  async function refresh(): Promise<void> {
    const actions = await api.actions(name);
    syncRows(body, actions, (a) => String(a.id),
      () => h('tr', {}, h('td'), h('td'), h('td', { class: 'num' }), h('td'), h('td', { class: 'error-text' })),
      update);
    empty.hidden = actions.length > 0;
    table.hidden = actions.length === 0;
  }

  return { element, refresh };
}
