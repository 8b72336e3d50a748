// Whether the operator's credential may act. The API does not say which roles a key has, so the
// console learns it the honest way: the first action answered 403 marks the session read-only,
// and the views then disable their action buttons. Signing in again clears it.

let readOnly = false;
const listeners: (() => void)[] = [];

export function isReadOnly(): boolean {
  return readOnly;
}

export function setReadOnly(value: boolean): void {
  if (readOnly === value) return;
  readOnly = value;
  listeners.forEach((listener) => listener());
}

export function onPermissionsChange(listener: () => void): void {
  listeners.push(listener);
}
