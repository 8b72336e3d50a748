// A short, safe preview of a dead letter's payload (base64 in the API): text as text, anything
// else as its first bytes in hex.

const LIMIT = 200;

export function preview(base64: string | undefined, contentType: string | null): string {
  if (base64 === undefined) return '';
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (bytes.length === 0) return '(empty)';
  const text = decodeIfText(bytes, contentType);
  if (text !== null) {
    const oneLine = text.replace(/\s+/g, ' ');
    return oneLine.length > LIMIT ? `${oneLine.slice(0, LIMIT)}… (${bytes.length} bytes)` : oneLine;
  }
  const hex = Array.from(bytes.slice(0, 32), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes: ${hex}${bytes.length > 32 ? ' …' : ''}`;
}

function decodeIfText(bytes: Uint8Array, contentType: string | null): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // Valid UTF-8 without control characters reads as text whatever its declared type.
    const textual = /^(text\/|application\/(json|xml|x-ndjson|.*\+json|.*\+xml))/.test(contentType ?? '');
    return textual || !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : null;
  } catch {
    return null;
  }
}
