// Whether the operator's credential may act. The API does not say which roles a key has, so the
// console learns it the honest way: the first action answered 403 marks the session read-only,
// and the views then disable their action buttons. Signing in again clears it.

let readOnly = false;
// One slot: only the view on screen needs to know, and a replaced view must not be kept alive.
let listener: () => void = () => {};

export function isReadOnly(): boolean {
  return readOnly;
}

export function setReadOnly(value: boolean): void {
  if (readOnly === value) return;
  readOnly = value;
  listener();
}

export function onPermissionsChange(onChange: () => void): void {
  listener = onChange;
}
