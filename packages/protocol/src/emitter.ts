// A minimal typed event emitter for browsers and Node alike (Node's `events` is not available in browsers).
// Every listener runs behind the user-code boundary: one that throws neither stops the others nor unwinds the emitter's
// caller (a decoder, a transport), and its exception still surfaces as uncaught.
import { callUserCode } from './user-code.js';

// A listener map keyed by event must accept every parameter list, and `unknown[]` would reject listeners with typed
// parameters under strictFunctionTypes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type ListenerMap = Record<string, (...args: any[]) => void>;

type Listener = (...args: unknown[]) => void;

/** A `once` wrapper remembers the listener it wraps so `off(event, listener)` can find it. */
interface OnceWrapper extends Listener {
  listener: Listener;
}

/** Minimal typed event emitter usable in browsers and Node (no Node `events`). */
export class Emitter<Events extends ListenerMap> {
  // Created on the first `on()`: most emitters (a Decoder per connection) get one or two listeners or none,
  // and an idle Map costs heap on every connection.
  #listeners: Map<keyof Events, Listener[]> | undefined;

  /** Adds `listener` for `event`. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.#listeners ??= new Map();
    const list = this.#listeners.get(event);
    if (list === undefined) this.#listeners.set(event, [listener as Listener]);
    else list.push(listener as Listener);
    return this;
  }

  /** Adds `listener` for the next `event` only. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const wrapper = ((...args: unknown[]) => {
      this.off(event, listener);
      (listener as Listener)(...args);
    }) as OnceWrapper;
    wrapper.listener = listener as Listener;
    return this.on(event, wrapper as unknown as Events[E]);
  }

  /** Removes one listener, every listener of `event`, or (no arguments) every listener. */
  off<E extends keyof Events>(event?: E, listener?: Events[E]): this {
    if (this.#listeners === undefined) return this;
    if (event === undefined) {
      this.#listeners = undefined;
      return this;
    }
    if (listener === undefined) {
      this.#listeners.delete(event);
      return this;
    }
    const list = this.#listeners.get(event);
    if (list === undefined) return this;
    for (let i = 0; i < list.length; i++) {
      const candidate = list[i] as Listener | OnceWrapper;
      if (candidate === listener || (candidate as Partial<OnceWrapper>).listener === listener) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.#listeners.delete(event);
    return this;
  }

  /** Calls every listener of `event` in order; true when there was at least one. */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    const list = this.#listeners?.get(event);
    if (list === undefined) return false;
    // Copy: a listener may add or remove listeners (once does) while we iterate.
    for (const listener of list.slice()) callUserCode(listener, this, args);
    return true;
  }

  /** The listeners of `event`, in call order (a copy). */
  listeners<E extends keyof Events>(event: E): Events[E][] {
    const list = this.#listeners?.get(event);
    return list === undefined ? [] : (list.slice() as Events[E][]);
  }

  /** True when `event` has at least one listener. */
  hasListeners<E extends keyof Events>(event: E): boolean {
    return this.#listeners?.has(event) ?? false;
  }

  // The component-emitter aliases are the same functions, put on the prototype below (no wrapper methods).
  /** Alias of `on`, as in component-emitter. */
  declare addEventListener: <E extends keyof Events>(event: E, listener: Events[E]) => this;
  /** Alias of `off`, as in component-emitter. */
  declare removeListener: <E extends keyof Events>(event?: E, listener?: Events[E]) => this;
  /** Alias of `off`, as in component-emitter. */
  declare removeAllListeners: <E extends keyof Events>(event?: E) => this;
  /** Alias of `off`, as in component-emitter. */
  declare removeEventListener: <E extends keyof Events>(event?: E, listener?: Events[E]) => this;
}

const proto = Emitter.prototype;
/* eslint-disable @typescript-eslint/unbound-method -- aliases installed on the prototype, called on instances */
proto.addEventListener = proto.on;
proto.removeListener = proto.removeAllListeners = proto.removeEventListener = proto.off;
/* eslint-enable @typescript-eslint/unbound-method */
