import { strict as assert } from 'node:assert';
import { DisposableStore, MutableDisposable, toDisposable } from '../../../src/common/disposable';
import { Emitter } from '../../../src/common/event';
import { assertNever } from '../../../src/common/assert';

suite('lifecycle helpers', () => {
  test('a DisposableStore disposes its items once, last added first', () => {
    const order: number[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push(1)));
    store.add(toDisposable(() => order.push(2)));
    store.dispose();
    store.dispose();
    assert.deepEqual(order, [2, 1]);
  });

  test('adding to a disposed store disposes the item at once instead of leaking it', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
  });

  test('one failing disposable does not stop the others, and its error surfaces', () => {
    const store = new DisposableStore();
    let ran = false;
    store.add(toDisposable(() => (ran = true)));
    store.add(toDisposable(() => { throw new Error('boom'); }));
    assert.throws(() => store.dispose(), /boom/);
    assert.equal(ran, true);
  });

  test('a MutableDisposable disposes the previous value when replaced', () => {
    const log: string[] = [];
    const slot = new MutableDisposable();
    slot.value = toDisposable(() => log.push('first'));
    slot.value = toDisposable(() => log.push('second'));
    assert.deepEqual(log, ['first']);
    slot.dispose();
    assert.deepEqual(log, ['first', 'second']);
  });

  test('an Emitter delivers to current listeners only, even when a listener unsubscribes during fire', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    const a = e.event((v) => { seen.push(`a${v}`); a.dispose(); });
    e.event((v) => seen.push(`b${v}`));
    e.fire(1);
    e.fire(2);
    assert.deepEqual(seen, ['a1', 'b1', 'b2']);
  });

  test('assertNever throws with the unexpected value', () => {
    assert.throws(() => assertNever('x' as never, 'kind'), /unexpected kind: "x"/);
  });
});
