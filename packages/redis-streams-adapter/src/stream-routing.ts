// Which stream a namespace's broadcasts go to when `streamCount` shards them: the same name
// @socket.io/redis-streams-adapter 0.3 computes, so mixed clusters write, read and replay the same stream per namespace.

/**
 * The 32-bit string hash the official adapter routes with (h = h * 31 + code unit, wrapped to a signed int32).
 * It can be negative, and so can its remainder: see `streamNameOf`.
 */
export function hashNamespace(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) {
    hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  }
  return hash;
}

/**
 * The stream of namespace `nsp`: `streamName` itself for one stream, else `${streamName}-${hash % streamCount}`.
 * The remainder keeps the hash's sign, as in the official adapter, so a namespace such as `/notifications` lands on
 * `socket.io--2`: kept for wire compatibility (the official adapter never reads such a stream; ours reads every stream
 * one of its namespaces writes to).
 */
export function streamNameOf(nsp: string, streamName: string, streamCount: number): string {
  if (streamCount === 1) return streamName;
  return `${streamName}-${hashNamespace(nsp) % streamCount}`;
}
