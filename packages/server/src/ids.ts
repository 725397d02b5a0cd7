// Socket ids and private session ids: 20 URL-safe characters from the CSPRNG, like socket.io's.
import { randomBytes } from 'node:crypto';

const ID_BYTES = 15; // 15 bytes = 20 base64url characters
const POOL_IDS = 128;

// One CSPRNG call per 128 ids instead of one per id (as Node's randomUUID caches its entropy): connecting is hot.
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** A fresh unpredictable id. */
export function createId(): string {
  if (poolOffset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    poolOffset = 0;
  }
  const id = pool.toString('base64url', poolOffset, poolOffset + ID_BYTES);
  // Wiped once used: the pool never holds bytes of an id already handed out.
  pool.fill(0, poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return id;
}
