// Watches the built-in prototypes around a fuzz case: reports any change (pollution) and undoes it so one polluting
// case cannot corrupt the rest of the run.

type Snapshot = Map<PropertyKey, PropertyDescriptor>;

/** Objects whose change is pollution. `Object` itself is restored but not reported: `{"constructor":{"a":1}}` merged
 * carelessly writes `Object.a`, which reaches no other object (the "harmless alone" case). */
const WATCHED: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
];
const RESTORED_ONLY: ReadonlyArray<object> = [Object, Array, Function];

function snapshot(target: object): Snapshot {
  const map: Snapshot = new Map();
  for (const key of Reflect.ownKeys(target))
    map.set(key, Reflect.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  return map;
}

function differs(target: object, before: Snapshot): PropertyKey | undefined {
  const keys = Reflect.ownKeys(target);
  for (const key of keys) {
    const was = before.get(key);
    const now = Reflect.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    if (was === undefined || was.value !== now.value || was.get !== now.get || was.set !== now.set) return key;
  }
  return keys.length === before.size ? undefined : '(deleted key)';
}

function restore(target: object, before: Snapshot): void {
  for (const key of Reflect.ownKeys(target)) if (!before.has(key)) Reflect.deleteProperty(target, key);
  for (const [key, descriptor] of before) Reflect.defineProperty(target, key, descriptor);
}

/** Snapshots the built-ins now; `changed()` names the first polluted property, `restore()` puts everything back. */
export function prototypeGuard(): { changed(): string | undefined; restore(): void } {
  const watched = WATCHED.map(([name, target]) => ({ name, target, before: snapshot(target) }));
  const others = RESTORED_ONLY.map((target) => ({ target, before: snapshot(target) }));
  return {
    changed() {
      for (const { name, target, before } of watched) {
        const key = differs(target, before);
        if (key !== undefined) return `${name}.${String(key)}`;
      }
      return undefined;
    },
    restore() {
      for (const { target, before } of [...watched, ...others])
        if (differs(target, before) !== undefined) restore(target, before);
    },
  };
}
