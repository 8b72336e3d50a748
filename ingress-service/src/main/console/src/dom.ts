// A tiny element builder. Text always goes in as text nodes, never as HTML, so nothing the API
// returns (an error message, a payload) can become markup in the page.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | boolean | number | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value as EventListener);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Sets text only when it changed, so screen readers and selections are not disturbed every poll. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Keeps one table row per key: rows are updated in place and moved only when out of order, so
 * a focused link or button inside a row keeps its focus across polls.
 */
export function syncRows<T>(
  body: HTMLTableSectionElement,
  items: T[],
  key: (item: T) => string,
  create: (item: T) => HTMLTableRowElement,
  update: (row: HTMLTableRowElement, item: T) => void,
): void {
  const existing = new Map<string, HTMLTableRowElement>();
  for (const row of Array.from(body.rows)) existing.set(row.dataset.key ?? '', row);
  let previous: HTMLTableRowElement | null = null;
  for (const item of items) {
    const id = key(item);
    let row = existing.get(id);
    if (row) {
      existing.delete(id);
    } else {
      row = create(item);
      row.dataset.key = id;
    }
    update(row, item);
    const expected: Element | null = previous ? previous.nextElementSibling : body.firstElementChild;
    if (expected !== row) body.insertBefore(row, expected);
    previous = row;
  }
  existing.forEach((row) => row.remove());
}
