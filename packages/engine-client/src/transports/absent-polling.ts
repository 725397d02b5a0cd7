// Polling's class names for the WebSocket-only entries, so code written against a full entry still imports them.

/** Stands for polling in `transports`; the WebSocket-only entries have none, so using it throws EIO_ERR_INVALID_OPTION. */
export abstract class PollingName {
  get name(): 'polling' {
    return 'polling';
  }
}
