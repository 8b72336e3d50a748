import { api } from '../api';
import { h, replace, setText, syncRows } from '../dom';
import type { Channel } from '../types';
import { destinationHref, type View } from '../view';

/** Every channel, the destinations it routes to (in route order) and the headers it keeps. */
export function channelsView(): View {
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, 'No channels yet: create one with PUT /admin/v1/channels/{name}.');
  const element = h('section', { 'aria-labelledby': 'channels-title' },
    h('h1', { id: 'channels-title' }, 'Channels'),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'channels' },
        h('caption', {}, 'Channels, their destinations in route order, and the sender headers they keep.'),
        h('thead', {}, h('tr', {},
          ...['Channel', 'Destinations', 'Kept headers'].map((label) => h('th', { scope: 'col' }, label)))),
        body)),
    empty);

  function update(row: HTMLTableRowElement, channel: Channel): void {
    const links = row.cells[1];
    const names = channel.destinations.join(',');
    // Rebuilt only when the route changed, so a focused link survives the poll.
    if (links.dataset.names !== names) {
      links.dataset.names = names;
      const list = h('ul', { class: 'inline' },
        ...channel.destinations.map((d) => h('li', {}, h('a', { href: destinationHref(d) }, d))));
      replace(links, channel.destinations.length ? list : '–');
    }
    setText(row.cells[2], (channel.keepHeaders ?? []).join(', ') || '–');
  }

  return {
    title: 'Channels',
    element,
    async refresh() {
      const channels = await api.channels();
      syncRows(body, channels, (c) => c.name,
        (c) => h('tr', { 'data-name': c.name }, h('th', { scope: 'row' }, c.name), h('td'), h('td')),
        update);
      empty.hidden = channels.length > 0;
    },
  };
}
