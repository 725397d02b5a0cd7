// Subscriptions that can be undone as a group: the Manager and Socket drop all of theirs when they close.

interface Listenable {
  on(event: string, listener: never): unknown;
  off(event: string, listener: never): unknown;
}

/** Adds `listener` to `target` and returns the function that removes it. */
export function subscribe(target: object, event: string, listener: (...args: never[]) => void): () => void {
  // Typed emitters narrow `event` to their own names; subscriptions here are by known names, so widen.
  const emitter = target as Listenable;
  emitter.on(event, listener as never);
  return () => void emitter.off(event, listener as never);
}
