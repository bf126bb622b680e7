import { describe, expect, it } from 'vitest';
import { commandForKey, isField, moveSelection, PAGE_ROWS, reselect } from './keyboard';

describe('console keys', () => {
  it('maps the documented keys', () => {
    const cmd = (key: string) => commandForKey({ key });
    expect(cmd('j')).toEqual({ type: 'move', by: 1 });
    expect(cmd('ArrowDown')).toEqual({ type: 'move', by: 1 });
    expect(cmd('k')).toEqual({ type: 'move', by: -1 });
    expect(cmd('ArrowUp')).toEqual({ type: 'move', by: -1 });
    expect(cmd('PageDown')).toEqual({ type: 'move', by: PAGE_ROWS });
    expect(cmd('Home')).toEqual({ type: 'moveTo', to: 'first' });
    expect(cmd('End')).toEqual({ type: 'moveTo', to: 'last' });
    expect(cmd('a')).toEqual({ type: 'acknowledge' });
    expect(cmd('g')).toEqual({ type: 'assign' });
    expect(cmd('r')).toEqual({ type: 'resolve' });
    expect(cmd('/')).toEqual({ type: 'filter' });
    expect(cmd('Enter')).toEqual({ type: 'detail' });
    expect(cmd('Escape')).toEqual({ type: 'close' });
    expect(cmd('?')).toEqual({ type: 'help' });
    expect(cmd('n')).toEqual({ type: 'page', by: 1 });
    expect(cmd('x')).toBeNull();
    // Capitals are not the commands: Shift+A is not an accidental acknowledge.
    expect(cmd('A')).toBeNull();
  });

  it('leaves typing to fields and dialogs, and browser shortcuts to the browser', () => {
    expect(commandForKey({ key: 'a', inField: true })).toBeNull();
    expect(commandForKey({ key: 'j', inField: true })).toBeNull();
    expect(commandForKey({ key: 'Escape', inField: true })).toEqual({ type: 'close' });
    expect(commandForKey({ key: 'r', dialogOpen: true })).toBeNull();
    expect(commandForKey({ key: 'Escape', dialogOpen: true })).toBeNull();
    expect(commandForKey({ key: 'r', ctrlKey: true })).toBeNull();
    expect(commandForKey({ key: 'a', metaKey: true })).toBeNull();
  });

  it('moves within the list and clamps at its ends', () => {
    expect(moveSelection(0, 5, { type: 'move', by: 1 })).toBe(1);
    expect(moveSelection(4, 5, { type: 'move', by: 1 })).toBe(4);
    expect(moveSelection(0, 5, { type: 'move', by: -1 })).toBe(0);
    expect(moveSelection(2, 5, { type: 'move', by: PAGE_ROWS })).toBe(4);
    expect(moveSelection(-1, 5, { type: 'move', by: 1 })).toBe(0);
    expect(moveSelection(-1, 5, { type: 'move', by: -1 })).toBe(4);
    expect(moveSelection(3, 5, { type: 'moveTo', to: 'first' })).toBe(0);
    expect(moveSelection(0, 5, { type: 'moveTo', to: 'last' })).toBe(4);
    expect(moveSelection(0, 0, { type: 'move', by: 1 })).toBe(-1);
  });

  it('keeps the selection on the same alarm when the list changes under it', () => {
    // A new alarm arrives above the selected one: the selection follows the alarm, not the row.
    expect(reselect([9, 1, 2, 3], 2, 1)).toEqual({ id: 2, index: 2 });
    // The selected alarm was resolved and left: stay at the same place.
    expect(reselect([1, 3, 4], 2, 1)).toEqual({ id: 3, index: 1 });
    // It was the last row.
    expect(reselect([1, 3], 4, 2)).toEqual({ id: 3, index: 1 });
    expect(reselect([], 4, 2)).toEqual({ id: null, index: -1 });
    expect(reselect([5, 6], null, 0)).toEqual({ id: 5, index: 0 });
  });

  it('knows a text field from the list', () => {
    expect(isField(document.createElement('input'))).toBe(true);
    expect(isField(document.createElement('textarea'))).toBe(true);
    expect(isField(document.createElement('select'))).toBe(true);
    expect(isField(document.createElement('div'))).toBe(false);
    expect(isField(null)).toBe(false);
  });
});
