// Event-map types for the typed client API: socket.io-client's generics, so existing event maps fit unchanged.
/* eslint-disable @typescript-eslint/no-explicit-any --
   socket.io-client's own declarations: listener maps must accept every parameter list (`unknown[]` rejects typed
   listeners under strictFunctionTypes), and the tuple helpers fall back to `any` as socket.io-client's do. */

/** An event map: event name to listener signature. */
// `any` is what lets an interface of listeners with concrete parameter lists satisfy the constraint.
export interface EventsMap {
  [event: string]: any;
}

/** The map used when none is given: any event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The arguments of one event of a map. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

/** Reserved names (`connect`, `disconnect`, ...) plus the user's own. */
export type ReservedOrUserEventNames<Reserved extends EventsMap, User extends EventsMap> =
  EventNames<Reserved> | EventNames<User>;

/** The listener type of an event, reserved events first; untyped when the name is in neither map. */
export type ReservedOrUserListener<
  Reserved extends EventsMap,
  User extends EventsMap,
  Ev extends ReservedOrUserEventNames<Reserved, User>,
> = FallbackToUntypedListener<
  Ev extends EventNames<Reserved> ? Reserved[Ev] : Ev extends EventNames<User> ? User[Ev] : never
>;

type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

/** Listener registration typed by a map of listened events and a map of reserved events. */
export interface TypedListeners<Listen extends EventsMap, Reserved extends EventsMap> {
  on<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(
    ev: Ev,
    listener: ReservedOrUserListener<Reserved, Listen, Ev>,
  ): this;
  once<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(
    ev: Ev,
    listener: ReservedOrUserListener<Reserved, Listen, Ev>,
  ): this;
  off<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(
    ev?: Ev,
    listener?: ReservedOrUserListener<Reserved, Listen, Ev>,
  ): this;
  removeListener<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(
    ev?: Ev,
    listener?: ReservedOrUserListener<Reserved, Listen, Ev>,
  ): this;
  removeAllListeners<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(ev?: Ev): this;
  listeners<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(
    ev: Ev,
  ): ReservedOrUserListener<Reserved, Listen, Ev>[];
  hasListeners<Ev extends ReservedOrUserEventNames<Reserved, Listen>>(ev: Ev): boolean;
}

type PrependTimeoutError<T extends any[]> = {
  [K in keyof T]: T[K] extends (...args: infer Params) => infer Result ? (err: Error, ...args: Params) => Result : T[K];
};

/** The event map as seen after `timeout()`: every acknowledgement callback receives an Error first. */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer Params) => infer Result
    ? (...args: PrependTimeoutError<Params>) => Result
    : E[K];
};

/** The last element of a tuple. */
export type Last<T extends any[]> = T extends [...infer _H, infer L] ? L : any;

/** A tuple without its last element. */
export type AllButLast<T extends any[]> = T extends [...infer H, infer _L] ? H : any[];

/** What `emitWithAck` resolves to: the acknowledgement's first argument that is not the timeout error. */
export type FirstNonErrorArg<T> = T extends (...args: infer Params) => any ? FirstNonError<Params> : any;

type FirstNonError<T extends any[]> = T extends [infer First, ...infer Rest]
  ? [First] extends [Error]
    ? FirstNonError<Rest>
    : First
  : any;
