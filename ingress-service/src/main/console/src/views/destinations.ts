import { api } from '../api';
import { h, setText, syncRows } from '../dom';
import { count, leadersText, seconds } from '../format';
import { record } from '../history';
import type { Destination } from '../types';
import { destinationHref, type View } from '../view';

type SortKey = 'name' | 'backlog' | 'headAge';

const COLUMNS: { label: string; sort?: SortKey; numeric?: boolean; title?: string }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Type' },
  { label: 'Paused' },
  { label: 'Last', numeric: true },
  { label: 'Released', numeric: true },
  { label: 'Delivered', numeric: true },
  { label: 'Backlog', sort: 'backlog', numeric: true },
  { label: 'Head of line' },
  { label: 'Head age', sort: 'headAge', numeric: true },
  { label: 'Dead letters', numeric: true },
  { label: 'No worker', title: 'Transform types of the chain that no live worker runs' },
  { label: 'Leaders', title: 'The resequencer and egress instances leading the destination, with their epochs' },
];

function headAge(destination: Destination): number {
  return destination.status?.headOfLine?.ageMs ?? -1;
}

const comparators: Record<SortKey, (a: Destination, b: Destination) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  backlog: (a, b) => (b.status?.backlog ?? 0) - (a.status?.backlog ?? 0) || a.name.localeCompare(b.name),
  headAge: (a, b) => headAge(b) - headAge(a) || a.name.localeCompare(b.name),
};

/** Every destination with its cursors, backlog and head of line; sortable, updated every poll. */
export function destinationsView(): View {
  let sortKey: SortKey = 'name';
  let latest: Destination[] = [];
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No destinations yet: create one with PUT /admin/v1/destinations/{name}.');
  const headerCells = COLUMNS.map((column) => {
    if (!column.sort) return h('th', { scope: 'col', class: column.numeric ? 'num' : '', title: column.title }, column.label);
    const key = column.sort;
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': key }, column.label);
    const cell = h('th', { scope: 'col', class: column.numeric ? 'num' : '' }, button);
    button.addEventListener('click', () => {
      sortKey = key;
      render();
    });
    return cell;
  });
  const table = h('table', { class: 'destinations' },
    h('caption', {}, 'Destinations, refreshed every second. Sort by name, backlog (largest first) or head age (oldest first).'),
    h('thead', {}, h('tr', {}, ...headerCells)),
    body);
  const element = h('section', { 'aria-labelledby': 'destinations-title' },
    h('h1', { id: 'destinations-title' }, 'Destinations'),
    h('div', { class: 'table-scroll' }, table),
    empty);

  function render(): void {
    headerCells.forEach((cell, i) => {
      const sorted = COLUMNS[i].sort === sortKey;
      if (sorted) cell.setAttribute('aria-sort', sortKey === 'name' ? 'ascending' : 'descending');
      else cell.removeAttribute('aria-sort');
    });
    const sorted = [...latest].sort(comparators[sortKey]);
    syncRows(body, sorted, (d) => d.name, createRow, updateRow);
    empty.hidden = latest.length > 0;
  }

  return {
    title: 'Destinations',
    element,
    async refresh() {
      latest = await api.destinations();
      record(latest);
      render();
    },
  };
}

function createRow(destination: Destination): HTMLTableRowElement {
  const cells = COLUMNS.map((column, i) => i === 0
    ? h('th', { scope: 'row' }, h('a', { href: destinationHref(destination.name) }, destination.name))
    : h('td', { class: column.numeric ? 'num' : '' }));
  return h('tr', { 'data-name': destination.name }, ...cells);
}

function updateRow(row: HTMLTableRowElement, destination: Destination): void {
  const cells = row.cells;
  const status = destination.status;
  if (!status) return;
  setText(cells[1], destination.unreadable ? 'unreadable' : destination.type ?? '');
  setText(cells[2], status.paused ? 'paused' : 'no');
  cells[2].classList.toggle('warn', status.paused);
  setText(cells[3], count(status.lastSequence));
  setText(cells[4], count(status.releasedSequence));
  setText(cells[5], count(status.deliveredSequence));
  setText(cells[6], count(status.backlog));
  setText(cells[7], headCell(destination));
  cells[7].classList.toggle('bad', Boolean(status.deliveryHead) || status.headOfLine?.state === 'FAILED');
  setText(cells[8], status.headOfLine ? seconds(status.headOfLine.ageMs) : '–');
  setText(cells[9], count(status.deadLetters));
  cells[9].classList.toggle('warn', status.deadLetters > 0);
  const missing = status.transformTypesWithoutWorker ?? [];
  setText(cells[10], missing.join(', '));
  cells[10].classList.toggle('bad', missing.length > 0);
  setText(cells[11], leadersText(status.leaders));
  cells[11].classList.toggle('warn', (status.leaders?.length ?? 2) < 2);
}

function headCell(destination: Destination): string {
  const { deliveryHead, headOfLine } = destination.status;
  if (deliveryHead) return `${deliveryHead.sequence} HELD: ${deliveryHead.error ?? ''}`;
  if (!headOfLine) return '–';
  const error = headOfLine.error ? `: ${headOfLine.error}` : '';
  return `${headOfLine.sequence} ${headOfLine.state}${error}`;
}
