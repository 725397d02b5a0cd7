// @ts-check
// The messages every implementation sends: the same bytes on the wire, so only the work around them differs.

/** The event name of broadcasts; the thin client counts frames and reads only the sequence number of each. */
export const BROADCAST_EVENT = 'tick';
/** The event name clients emit with an ack; the server acknowledges with the same data. */
export const ECHO_EVENT = 'echo';

const FILLER = 'the quick brown fox jumps over it';

/**
 * The ~100-byte JSON broadcast: `["tick",{...}]` is 100 bytes as socket.io writes it (after the "42" prefix). The
 * sequence number always has 7 digits and comes first, so a client finds it at a fixed offset (JSON_SEQ_OFFSET).
 * @param {number} seq
 */
export function jsonPayload(seq) {
  return { seq: JSON_SEQ_BASE + (seq % 1_000_000), at: 1_763_000_000_000, room: 'room', text: FILLER };
}

/** Where the 7 digits of `seq` start in `["tick",{"seq":…`, the JSON of a broadcast without any packet prefix. */
export const JSON_SEQ_OFFSET = `["${BROADCAST_EVENT}",{"seq":`.length;
export const JSON_SEQ_DIGITS = 7;
/** Added to the sequence number in the JSON so that it always has 7 digits. */
export const JSON_SEQ_BASE = 1_000_000;

const BINARY_FILL = Buffer.alloc(1024, 0x5a);

/**
 * The 1 KiB binary broadcast: one buffer per broadcast, shared by all its deliveries, whose first 4 bytes are `seq`
 * (big-endian) so that clients can check the order.
 * @param {number} seq
 */
export function binaryPayload(seq) {
  const payload = Buffer.from(BINARY_FILL);
  payload.writeUInt32BE(seq >>> 0, 0);
  return payload;
}

/** What clients send with an ack in the echo and polling scenarios (~60 bytes of JSON). */
export const ECHO_PAYLOAD = Object.freeze({ user: 'bench', text: 'hello, switchboard', n: 42 });
