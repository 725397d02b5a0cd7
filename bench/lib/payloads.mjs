// @ts-check
// The messages every implementation sends: the same bytes on the wire, so only the work around them differs.

/** The event name of broadcasts; the thin client counts frames, the payloads are never parsed on the hot path. */
export const BROADCAST_EVENT = 'tick';
/** The event name clients emit with an ack; the server acknowledges with the same data. */
export const ECHO_EVENT = 'echo';

const FILLER = 'the quick brown fox jumps over it';

/**
 * The ~100-byte JSON broadcast: `["tick",{...}]` is 100 bytes as socket.io writes it (after the "42" prefix).
 * @param {number} seq
 */
export function jsonPayload(seq) {
  return { seq: 1_000_000 + (seq % 1_000_000), at: 1_763_000_000_000, room: 'room', text: FILLER };
}

/** The 1 KiB binary broadcast, shared by every broadcast of a run. */
export const BINARY_PAYLOAD = Buffer.alloc(1024, 0x5a);

/** What clients send with an ack in the echo and polling scenarios (~60 bytes of JSON). */
export const ECHO_PAYLOAD = Object.freeze({ user: 'bench', text: 'hello, switchboard', n: 42 });
