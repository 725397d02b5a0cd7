// Catch-all listeners (onAny / onAnyOutgoing) on top of the typed emitter; lists exist only once used.
import { ListenerList } from './listener-list.js';
import { type EventsMap, StrictEventEmitter } from './typed-events.js';

type Listener = (...args: unknown[]) => void;

/** A typed emitter whose listeners can also watch every incoming and every outgoing event. */
export abstract class CatchAllEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  ReservedEvents extends EventsMap,
> extends StrictEventEmitter<ListenEvents, EmitEvents, ReservedEvents> {
  #anyListeners: ListenerList | undefined;
  #anyOutgoingListeners: ListenerList | undefined;

  /** Adds a listener called with every incoming event (name first). */
  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    (this.#anyListeners ??= new ListenerList()).add(listener as Listener);
    return this;
  }

  /** Like onAny, but called before the other catch-all listeners. */
  prependAny(listener: (event: string, ...args: unknown[]) => void): this {
    (this.#anyListeners ??= new ListenerList()).prepend(listener as Listener);
    return this;
  }

  /** Removes a catch-all listener, or all of them. */
  offAny(listener?: (event: string, ...args: unknown[]) => void): this {
    this.#anyListeners?.remove(listener as Listener | undefined);
    if (this.#anyListeners?.isEmpty === true) this.#anyListeners = undefined;
    return this;
  }

  listenersAny(): ((event: string, ...args: unknown[]) => void)[] {
    return this.#anyListeners?.list() ?? [];
  }

  /** Adds a listener called with every outgoing event (broadcasts included). */
  onAnyOutgoing(listener: (event: string, ...args: unknown[]) => void): this {
    (this.#anyOutgoingListeners ??= new ListenerList()).add(listener as Listener);
    return this;
  }

  prependAnyOutgoing(listener: (event: string, ...args: unknown[]) => void): this {
    (this.#anyOutgoingListeners ??= new ListenerList()).prepend(listener as Listener);
    return this;
  }

  offAnyOutgoing(listener?: (event: string, ...args: unknown[]) => void): this {
    this.#anyOutgoingListeners?.remove(listener as Listener | undefined);
    if (this.#anyOutgoingListeners?.isEmpty === true) this.#anyOutgoingListeners = undefined;
    return this;
  }

  listenersAnyOutgoing(): ((event: string, ...args: unknown[]) => void)[] {
    return this.#anyOutgoingListeners?.list() ?? [];
  }

  /** Shows an incoming event (`[name, ...args]`) to the catch-all listeners. */
  protected notifyIncoming(args: unknown[]): void {
    this.#anyListeners?.call(args, this.userCode);
  }

  /** Shows an outgoing event (`[name, ...args]`) to the outgoing catch-all listeners. */
  protected notifyOutgoing(args: unknown[]): void {
    this.#anyOutgoingListeners?.call(args, this.userCode);
  }
}
