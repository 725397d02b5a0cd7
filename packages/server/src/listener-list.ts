// An ordered list of catch-all listeners, created only for sockets that use onAny / onAnyOutgoing.
import type { UserCodeBoundary } from './user-code.js';

type Listener = (...args: unknown[]) => void;

/** An ordered list of catch-all listeners (onAny / onAnyOutgoing). */
export class ListenerList {
  #listeners: Listener[] = [];

  get isEmpty(): boolean {
    return this.#listeners.length === 0;
  }

  add(listener: Listener): void {
    this.#listeners.push(listener);
  }

  prepend(listener: Listener): void {
    this.#listeners.unshift(listener);
  }

  /** Removes one listener, or all of them without argument. */
  remove(listener?: Listener): void {
    if (listener === undefined) {
      this.#listeners = [];
      return;
    }
    const index = this.#listeners.indexOf(listener);
    if (index !== -1) this.#listeners.splice(index, 1);
  }

  list(): Listener[] {
    return this.#listeners.slice();
  }

  /** Calls every listener behind the user-code boundary; a copy, since a listener may remove itself. */
  call(args: unknown[], boundary: UserCodeBoundary): void {
    for (const listener of this.#listeners.slice()) boundary.call(listener, undefined, args);
  }
}
