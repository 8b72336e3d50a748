/** What the router shows: an element, refreshed by the poll loop at most once a second. */
export interface View {
  readonly title: string;
  readonly element: HTMLElement;
  refresh(): Promise<void>;
}

export function destinationHref(name: string): string {
  return `#/destinations/${encodeURIComponent(name)}`;
}
