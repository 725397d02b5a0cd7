// The namespace registry: static namespaces by name, parents of dynamic namespaces (RegExp or function matchers),
// and the children they created. The runtime's namespace resolver; the Server's `of` and `_nsps` read it.
import createDebug from 'debug';
import type { NamespaceResolver, ServerRuntime } from './runtime.js';
import { Namespace } from './namespace.js';
import { ParentNamespace, type ParentNspNameMatchFn } from './parent-namespace.js';
import { emitToEachListener } from './user-code.js';
import type { EventsMap } from './typed-events.js';

const debug = createDebug('switchboard:server:server');

type NamespaceMatcher = (
  name: string,
  auth: Record<string, unknown>,
  next: (err: Error | null, success: boolean) => void,
) => void;

/** @internal Every namespace of one server. */
export class NamespaceRegistry<
  L extends EventsMap,
  E extends EventsMap,
  S extends EventsMap,
  D,
> implements NamespaceResolver<L, E, S, D> {
  readonly #runtime: ServerRuntime<L, E, S, D>;
  readonly #cleanupEmptyChildNamespaces: boolean;
  readonly #namespaces = new Map<string, Namespace<L, E, S, D>>();
  readonly #parents = new Map<ParentNamespace<L, E, S, D>, NamespaceMatcher>();
  readonly #parentsByRegExp = new Map<RegExp, ParentNamespace<L, E, S, D>>();
  readonly #childParents = new Map<Namespace<L, E, S, D>, ParentNamespace<L, E, S, D>>();

  constructor(runtime: ServerRuntime<L, E, S, D>, cleanupEmptyChildNamespaces: boolean) {
    this.#runtime = runtime;
    this.#cleanupEmptyChildNamespaces = cleanupEmptyChildNamespaces;
  }

  /** Static and dynamic child namespaces by name. */
  get namespaces(): ReadonlyMap<string, Namespace<L, E, S, D>> {
    return this.#namespaces;
  }

  /** The parents of dynamic namespaces. */
  get parents(): Iterable<ParentNamespace<L, E, S, D>> {
    return this.#parents.keys();
  }

  /** A parent of the dynamic namespaces `name` matches. */
  addParent(name: RegExp | ParentNspNameMatchFn): ParentNamespace<L, E, S, D> {
    const parent = new ParentNamespace<L, E, S, D>(this.#runtime);
    if (name instanceof RegExp) {
      const regexp = name;
      this.#parents.set(parent, (nsp, _auth, next) => next(null, regexp.test(nsp)));
      this.#parentsByRegExp.set(regexp, parent);
    } else {
      this.#parents.set(parent, name);
    }
    return parent;
  }

  of(rawName: string): Namespace<L, E, S, D> {
    const name = rawName.startsWith('/') ? rawName : `/${rawName}`;
    const existing = this.#namespaces.get(name);
    if (existing !== undefined) return existing;
    for (const [regexp, parent] of this.#parentsByRegExp) {
      if (regexp.test(name)) return parent.createChild(name);
    }
    const nsp = new Namespace<L, E, S, D>(this.#runtime, name);
    this.#namespaces.set(name, nsp);
    if (name !== '/') this.#announce(nsp);
    return nsp;
  }

  get(name: string): Namespace<L, E, S, D> | undefined {
    return this.#namespaces.get(name);
  }

  check(
    name: string,
    auth: Record<string, unknown> | undefined,
    done: (nsp: Namespace<L, E, S, D> | undefined) => void,
  ): void {
    const candidates = [...this.#parents];
    let index = 0;
    const tryNext = (): void => {
      const candidate = candidates[index++];
      if (candidate === undefined) {
        done(undefined);
        return;
      }
      const [parent, matcher] = candidate;
      let answered = false;
      const next = (err: Error | null, allow: boolean): void => {
        if (answered) return;
        answered = true;
        if (err !== null || !allow) {
          tryNext();
          return;
        }
        done(this.#namespaces.get(name) ?? parent.createChild(name));
      };
      try {
        matcher(name, auth ?? {}, next);
      } catch (err) {
        debug('namespace matcher threw for %s: %o', name, err);
        next(err instanceof Error ? err : new Error(String(err)), false);
      }
    };
    tryNext();
  }

  registerChild(child: Namespace<L, E, S, D>, parent: ParentNamespace<L, E, S, D>): void {
    this.#namespaces.set(child.name, child);
    this.#childParents.set(child, parent);
    this.#announce(child);
  }

  onEmpty(nsp: Namespace<L, E, S, D>): void {
    const parent = this.#childParents.get(nsp);
    if (parent === undefined || !this.#cleanupEmptyChildNamespaces) return;
    this.#childParents.delete(nsp);
    this.#namespaces.delete(nsp.name);
    parent.removeChild(nsp);
    void Promise.resolve(nsp.adapter.close()).catch((err: unknown) => debug('adapter close failed: %o', err));
  }

  /** The main namespace (and so the server) emits `new_namespace`. */
  #announce(nsp: Namespace<L, E, S, D>): void {
    const main = this.#namespaces.get('/');
    if (main !== undefined) emitToEachListener(main, 'new_namespace', [nsp], this.#runtime.userCode);
  }
}
