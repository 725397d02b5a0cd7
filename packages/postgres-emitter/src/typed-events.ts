// Event maps for typed emits: the shape of socket.io's (and @socket.io/postgres-emitter's) so user maps fit unchanged.

/* eslint-disable @typescript-eslint/no-explicit-any --
 * An event map must accept listener signatures with any parameter list; `unknown` would reject `(msg: string) => void`
 * under strictFunctionTypes. `any` stays confined to these type-level helpers.
 */

/** A map from event name to listener signature. */
export interface EventsMap {
  [event: string]: any;
}

/** The map used when none is given: any event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & (string | symbol);

/** The parameters of one event of a map. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Parameters<Map[Ev]>;

/** Anything that emits typed events to clients. */
export interface TypedEventBroadcaster<EmitEvents extends EventsMap> {
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean;
}
