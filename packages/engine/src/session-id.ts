// Session ids: 15 random bytes as 20 URL-safe base64 characters, cut from a pooled random buffer so each id costs a
// slice and an encode instead of a call into the CSPRNG.
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 15; // 15 bytes encode to exactly 20 base64 characters, no padding
const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(ID_BYTES * POOL_IDS);
let offset = pool.length;

/** A fresh 20-character session id (`[A-Za-z0-9_-]`). */
export function createSessionId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
