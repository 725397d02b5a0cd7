// Which worker gets a connection: the one holding its session when there is one, else the chosen load-balancing
// method among the workers that are ready. The table of sessions lives here, and nowhere else.

/** How a connection without a known session picks its worker. */
export type LoadBalancingMethod = 'round-robin' | 'random' | 'least-connection';

export const LOAD_BALANCING_METHODS: readonly LoadBalancingMethod[] = ['round-robin', 'random', 'least-connection'];

/** Workers by node:cluster id, each with the sessions it holds. */
export class Balancer {
  readonly #method: LoadBalancingMethod;
  /** Ready workers in the order they became ready, with their session counts. */
  readonly #sessionCounts = new Map<number, number>();
  readonly #workerOfSession = new Map<string, number>();
  #nextIndex = 0;

  constructor(method: LoadBalancingMethod) {
    this.#method = method;
  }

  get readyWorkers(): number {
    return this.#sessionCounts.size;
  }

  addWorker(workerId: number): void {
    if (!this.#sessionCounts.has(workerId)) this.#sessionCounts.set(workerId, 0);
  }

  /** A worker is gone: its sessions are forgotten, so their next requests are balanced like new ones. */
  removeWorker(workerId: number): void {
    this.#sessionCounts.delete(workerId);
    for (const [sessionId, owner] of this.#workerOfSession)
      if (owner === workerId) this.#workerOfSession.delete(sessionId);
  }

  bind(sessionId: string, workerId: number): void {
    const count = this.#sessionCounts.get(workerId);
    if (count === undefined) return;
    const previous = this.#workerOfSession.get(sessionId);
    if (previous === workerId) return;
    if (previous !== undefined) this.unbind(sessionId, previous);
    this.#workerOfSession.set(sessionId, workerId);
    this.#sessionCounts.set(workerId, count + 1);
  }

  unbind(sessionId: string, workerId: number): void {
    if (this.#workerOfSession.get(sessionId) !== workerId) return;
    this.#workerOfSession.delete(sessionId);
    const count = this.#sessionCounts.get(workerId);
    if (count !== undefined) this.#sessionCounts.set(workerId, Math.max(0, count - 1));
  }

  /** The worker holding `sessionId`, if it is known. */
  ownerOf(sessionId: string): number | undefined {
    return this.#workerOfSession.get(sessionId);
  }

  /** A worker for a connection of no known session; undefined when no worker is ready. */
  pick(): number | undefined {
    const ids = [...this.#sessionCounts.keys()];
    if (ids.length === 0) return undefined;
    switch (this.#method) {
      case 'random':
        return ids[Math.floor(Math.random() * ids.length)];
      case 'round-robin':
        this.#nextIndex = (this.#nextIndex + 1) % ids.length;
        return ids[this.#nextIndex];
      case 'least-connection': {
        let best = ids[0] as number;
        for (const id of ids) if ((this.#sessionCounts.get(id) ?? 0) < (this.#sessionCounts.get(best) ?? 0)) best = id;
        return best;
      }
    }
  }

  /** Sessions per ready worker (for diagnostics and tests). */
  sessionCounts(): ReadonlyMap<number, number> {
    return this.#sessionCounts;
  }
}
