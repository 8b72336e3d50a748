import { h } from './dom';

/**
 * Asks before an operator action, in a modal <dialog>: the browser traps focus in it, Escape
 * cancels, and focus returns to the button that opened it. Resolves true only on "confirm".
 */
export function confirmAction(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
    const confirm = h('button', { type: 'submit', value: 'confirm', class: 'primary' }, confirmLabel);
    const heading = h('h2', { id: 'confirm-title' }, title);
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', class: 'confirm' },
      h('form', { method: 'dialog' },
        heading,
        h('p', {}, text),
        h('div', { class: 'buttons' }, cancel, confirm)));
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    // Cancel first: an accidental Enter must not act.
    cancel.focus();
  });
}
