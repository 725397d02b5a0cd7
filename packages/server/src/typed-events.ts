// Type-level event maps (socket.io's semantics) and the strictly typed EventEmitter the server classes extend.
import { EventEmitter } from 'node:events';
import { defaultUserCodeBoundary, emitToEachListener, type UserCodeBoundary } from './user-code.js';

/* eslint-disable @typescript-eslint/no-explicit-any --
 * An event map must accept user interfaces whose listeners have any parameter list; `unknown` would reject
 * `(msg: string) => void` under strictFunctionTypes. socket.io's maps are declared the same way, so existing
 * user maps fit unchanged. `any` stays confined to these type-level helpers.
 */

/** A map from event name to listener signature. */
export interface EventsMap {
  [event: string]: any;
}

/** The map used when the user gives none: every event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/**
 * `socket.data` when no SocketData type is given: `any`, as socket.io declares it, so untyped socket.io code
 * (`socket.data.count++`) compiles unchanged. Give the SocketData generic a type to have reads checked.
 */
export type DefaultSocketData = any;

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The parameters of one event of a map. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

type IsAny<T> = 0 extends 1 & T ? true : false;
type IfAny<T, TypeIfAny, TypeIfNotAny> = IsAny<T> extends true ? TypeIfAny : TypeIfNotAny;
type LooseParameters<T> = T extends (...args: infer P) => any ? P : never;

/** The last element of a tuple. */
export type Last<T extends readonly unknown[]> = T extends readonly [infer Only]
  ? Only
  : T extends readonly [unknown, ...infer Tail]
    ? Last<Tail>
    : T extends ReadonlyArray<infer Element>
      ? Element
      : never;

/** Every element of a tuple except the last. */
export type AllButLast<T extends any[]> = T extends [...infer Head, unknown] ? Head : any[];

/** The events whose last parameter is an acknowledgement callback. */
export type EventNamesWithAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> = IfAny<
  Last<Parameters<Map[K]>> | Map[K],
  K,
  K extends (
    Parameters<Map[K]> extends never[] ? never : Last<Parameters<Map[K]>> extends (...args: any[]) => any ? K : never
  )
    ? K
    : never
>;

/** The events without an acknowledgement callback. */
export type EventNamesWithoutAck<Map extends EventsMap, K extends EventNames<Map> = EventNames<Map>> = IfAny<
  Last<Parameters<Map[K]>> | Map[K],
  K,
  K extends (Parameters<Map[K]> extends never[] ? K : never)
    ? K
    : K extends (Last<Parameters<Map[K]>> extends (...args: any[]) => any ? never : K)
      ? K
      : never
>;

/** The map restricted to events that take no acknowledgement (what a broadcast without timeout may emit). */
export type RemoveAcknowledgements<E extends EventsMap> = { [K in EventNamesWithoutAck<E>]: E[K] };

/** The events whose acknowledgement takes an Error first. */
export type EventNamesWithError<
  Map extends EventsMap,
  K extends EventNamesWithAck<Map> = EventNamesWithAck<Map>,
> = IfAny<
  Last<Parameters<Map[K]>> | Map[K],
  K,
  K extends (LooseParameters<Last<Parameters<Map[K]>>>[0] extends Error ? K : never) ? K : never
>;

/** The first acknowledgement argument that is not the timeout error. */
export type FirstNonErrorTuple<T extends unknown[]> = T[0] extends Error ? T[1] : T[0];
/** The value `emitWithAck` resolves with for an acknowledgement signature. */
export type FirstNonErrorArg<T> = T extends (...args: infer Params) => any ? FirstNonErrorTuple<Params> : any;

type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result
    ? Params[0] extends Error
      ? T[K]
      : (err: Error, ...args: Params) => Result
    : T[K];
};

/** Each element of a tuple turned into an array of that element (one per responding client). */
export type MultiplyArray<T extends unknown[]> = { [K in keyof T]: T[K][] };

type InferFirstAndPreserveLabel<T extends any[]> = T extends [any, ...infer R]
  ? T extends [...infer H, ...R]
    ? H
    : never
  : never;

type ExpectMultipleResponses<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result
    ? Params extends [Error]
      ? (err: Error) => Result
      : Params extends [Error, ...infer Rest]
        ? (err: Error, ...args: InferFirstAndPreserveLabel<MultiplyArray<Rest>>) => Result
        : Params extends []
          ? () => Result
          : (...args: InferFirstAndPreserveLabel<MultiplyArray<Params>>) => Result
    : T[K];
};

/** Acknowledgements of a single socket with a timeout: the callback receives an Error first. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result
    ? (...args: PrependTimeoutError<Params>) => Result
    : E[K];
};

/** Acknowledgements of a broadcast with a timeout: an Error first, then one array of responses per argument. */
export type DecorateAcknowledgementsWithTimeoutAndMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result
    ? (...args: ExpectMultipleResponses<PrependTimeoutError<Params>>) => Result
    : E[K];
};

/** Acknowledgements of a broadcast: one array of responses per argument. */
export type DecorateAcknowledgementsWithMultipleResponses<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result
    ? (...args: ExpectMultipleResponses<Params>) => Result
    : E[K];
};

/** Reserved event names plus user event names. */
export type ReservedOrUserEventNames<ReservedEvents extends EventsMap, UserEvents extends EventsMap> =
  EventNames<ReservedEvents> | EventNames<UserEvents>;

type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

/** The listener type for a reserved or user event. */
export type ReservedOrUserListener<
  ReservedEvents extends EventsMap,
  UserEvents extends EventsMap,
  Ev extends ReservedOrUserEventNames<ReservedEvents, UserEvents>,
> = FallbackToUntypedListener<
  Ev extends EventNames<ReservedEvents>
    ? ReservedEvents[Ev]
    : Ev extends EventNames<UserEvents>
      ? UserEvents[Ev]
      : never
>;

/** Anything that can emit typed events to clients. */
export interface TypedEventBroadcaster<EmitEvents extends EventsMap> {
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;
}

/**
 * An EventEmitter whose `on` is typed by ListenEvents (plus ReservedEvents) and whose `emit` is typed by
 * EmitEvents: listening and emitting are different directions on a socket.
 */
export abstract class StrictEventEmitter<
  ListenEvents extends EventsMap,
  EmitEvents extends EventsMap,
  // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- socket.io's default: no reserved events
  ReservedEvents extends EventsMap = Record<never, never>,
>
  extends EventEmitter
  implements TypedEventBroadcaster<EmitEvents>
{
  override on<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.on(ev, listener);
  }

  override once<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    ev: Ev,
    listener: ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>,
  ): this {
    return super.once(ev, listener);
  }

  override emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    return super.emit(ev, ...args);
  }

  /** The boundary listeners run behind; classes that hold a runtime answer the runtime's. */
  protected get userCode(): UserCodeBoundary {
    return defaultUserCodeBoundary;
  }

  /** Emits a reserved (server-side only) event to local listeners, each behind the user-code boundary. */
  protected emitReserved<Ev extends EventNames<ReservedEvents>>(
    ev: Ev,
    ...args: EventParams<ReservedEvents, Ev>
  ): boolean {
    return emitToEachListener(this, ev, args, this.userCode);
  }

  /** Emits any event to local listeners, bypassing the emit typing (events from other servers). */
  protected emitUntyped(ev: string, ...args: unknown[]): boolean {
    return emitToEachListener(this, ev, args, this.userCode);
  }

  override listeners<Ev extends ReservedOrUserEventNames<ReservedEvents, ListenEvents>>(
    event: Ev,
  ): ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[] {
    return super.listeners(event) as ReservedOrUserListener<ReservedEvents, ListenEvents, Ev>[];
  }
}
