import type { Disposable } from './disposable';

/** A subscription function, shaped like vscode.Event so pure layers can expose events without the editor. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** A tiny event emitter: `readonly onDidX = this._onDidX.event`, then `this._onDidX.fire(value)`. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // Copy first: a listener may unsubscribe itself (or others) while we iterate.
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
