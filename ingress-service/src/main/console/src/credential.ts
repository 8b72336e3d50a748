// The operator's API key or access token. Kept in sessionStorage only: it goes away with the
// tab, is never written to a cookie or localStorage, and never appears in the page source.

const KEY = 'reseq.console.credential';

export function credential(): string | null {
  return sessionStorage.getItem(KEY);
}

export function remember(value: string): void {
  sessionStorage.setItem(KEY, value);
}

export function forget(): void {
  sessionStorage.removeItem(KEY);
}
