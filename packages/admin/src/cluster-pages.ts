// Socket pages across a cluster, through the adapter's serverSideEmit: every server counts its matches, then each
// serves its slice of the global page. On a single server both requests answer at once with no responses.
import createDebug from 'debug';
import type { Namespace } from '@switchboard/server';
import { pageBounds, type OverviewBuilder, type SocketsPage, type SocketsQuery } from './overview.js';

const debug = createDebug('switchboard:admin:cluster-pages');

/** One server's part of a global page. */
export interface PageSlice {
  serverId: string;
  offset: number;
  limit: number;
}

interface ServerTotal {
  serverId: string;
  total: number;
}

/** Cuts the global window [offset, offset + limit) over the servers, taken in serverId order. */
export function planSlices(totals: readonly ServerTotal[], offset: number, limit: number): PageSlice[] {
  const slices: PageSlice[] = [];
  let start = 0; // global index of the current server's first socket
  let wanted = limit;
  for (const { serverId, total } of [...totals].sort((a, b) => a.serverId.localeCompare(b.serverId))) {
    const from = Math.max(offset, start);
    const to = Math.min(start + total, offset + limit);
    if (to > from && wanted > 0) {
      slices.push({ serverId, offset: from - start, limit: to - from });
      wanted -= to - from;
    }
    start += total;
  }
  return slices;
}

function isServerTotal(value: unknown): value is ServerTotal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ServerTotal).serverId === 'string' &&
    typeof (value as ServerTotal).total === 'number'
  );
}

function isPage(value: unknown): value is SocketsPage {
  return typeof value === 'object' && value !== null && Array.isArray((value as SocketsPage).sockets);
}

async function askOthers(nsp: Namespace, event: string, ...args: unknown[]): Promise<unknown[]> {
  try {
    const replies: unknown[] = await nsp.serverSideEmitWithAck(event, ...args);
    return replies;
  } catch (error) {
    debug('%s: some servers did not answer: %O', event, error);
    return [];
  }
}

/** Answers the other servers' count and slice requests for this server's sockets. */
export function answerClusterRequests(nsp: Namespace, builder: OverviewBuilder, serverId: string): void {
  nsp.on('sb:count', (query: SocketsQuery, ack: (total: ServerTotal) => void) => {
    ack({ serverId, total: builder.socketsPage({ ...query, limit: 1 }).total });
  });
  nsp.on('sb:slice', (query: SocketsQuery, slices: PageSlice[], ack: (page: SocketsPage | null) => void) => {
    const slice = Array.isArray(slices) ? slices.find((candidate) => candidate.serverId === serverId) : undefined;
    ack(slice === undefined ? null : builder.socketsPage({ ...query, offset: slice.offset, limit: slice.limit }));
  });
}

/** One page of sockets over every server; `servers` says how many answered. */
export async function clusterSocketsPage(
  nsp: Namespace,
  builder: OverviewBuilder,
  serverId: string,
  query: SocketsQuery,
): Promise<SocketsPage & { servers: number }> {
  const local = builder.socketsPage(query);
  const remoteTotals = (await askOthers(nsp, 'sb:count', query)).filter(isServerTotal);
  if (remoteTotals.length === 0) return { ...local, servers: 1 };
  const totals = [{ serverId, total: local.total }, ...remoteTotals];
  const { offset, limit } = pageBounds(query.offset, query.limit);
  const slices = planSlices(totals, offset, limit);
  const remotePages = new Map<string, SocketsPage>();
  if (slices.some((slice) => slice.serverId !== serverId)) {
    for (const page of (await askOthers(nsp, 'sb:slice', query, slices)).filter(isPage))
      remotePages.set(page.serverId, page);
  }
  const sockets = slices.flatMap((slice) =>
    slice.serverId === serverId
      ? builder.socketsPage({ ...query, offset: slice.offset, limit: slice.limit }).sockets
      : (remotePages.get(slice.serverId)?.sockets ?? []),
  );
  return { serverId, total: totals.reduce((sum, t) => sum + t.total, 0), offset, sockets, servers: totals.length };
}
