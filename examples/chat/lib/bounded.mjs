// Small bounded containers: the chat keeps everything in memory for the current run, so every map and list has a cap.

/**
 * Appends to an array, dropping the oldest entries past `max`.
 * @template T
 * @param {T[]} list
 * @param {T} item
 * @param {number} max
 */
export function pushBounded(list, item, max) {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/**
 * A Map that forgets its least recently set keys past `maxEntries`.
 * @template K, V
 */
export class BoundedMap {
  #map = new Map();
  #maxEntries;

  /** @param {number} maxEntries */
  constructor(maxEntries) {
    this.#maxEntries = maxEntries;
  }

  /** @param {K} key @returns {V | undefined} */
  get(key) {
    return this.#map.get(key);
  }

  /** @param {K} key @param {V} value */
  set(key, value) {
    // Re-inserting moves the key to the young end of the Map's insertion order.
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#maxEntries) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  get size() {
    return this.#map.size;
  }
}
