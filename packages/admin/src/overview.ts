// Our dashboard's server-side views: a once-a-second overview, and sockets and rooms served a page at a time, so
// the browser never holds more than a page however many sockets are connected.
import { hostname } from 'node:os';
import type { Namespace, Server, Socket } from '@switchboard/server';
import type { ActivityLog, ActivityCounts, ActivityEntry } from './activity-log.js';
import { serializeSocket, socketAddress, type SerializedSocket } from './serialize.js';
import type { TrafficMeter, TrafficSample } from './traffic-meter.js';

/** `sb:overview`: one server's state, sent once a second to our dashboards (each server of a cluster sends its own). */
export interface Overview {
  serverId: string;
  hostname: string;
  pid: number;
  uptime: number;
  clientsCount: number;
  pollingClientsCount: number;
  namespaces: { name: string; socketsCount: number; roomsCount: number }[];
  sample: TrafficSample;
  activity: { counts: ActivityCounts; entries: ActivityEntry[]; dropped: number };
}

/** `sb:sockets_page` request; every field optional. */
export interface SocketsQuery {
  nsp?: string;
  /** Keeps sockets whose id, client id, address, transport, a room or `data` (as JSON) contains this text. */
  search?: string;
  /** Keeps sockets in this room. */
  room?: string;
  offset?: number;
  limit?: number;
}

export interface SocketsPage {
  serverId: string;
  total: number;
  offset: number;
  sockets: SerializedSocket[];
}

/** `sb:rooms_page` request. */
export interface RoomsQuery {
  nsp?: string;
  search?: string;
  offset?: number;
  limit?: number;
}

export interface RoomsPage {
  serverId: string;
  total: number;
  offset: number;
  rooms: { nsp: string; name: string; size: number }[];
}

export const MAX_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 50;

/** The page window asked for, with defaults for missing or malformed values and the size capped. */
export function pageBounds(offset: unknown, limit: unknown): { offset: number; limit: number } {
  const start = typeof offset === 'number' && Number.isInteger(offset) && offset > 0 ? offset : 0;
  const size =
    typeof limit === 'number' && Number.isInteger(limit) && limit > 0
      ? Math.min(limit, MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  return { offset: start, limit: size };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** The longest `socket.data` text searched; a socket carrying more is matched on its first part only. */
const MAX_SEARCHED_DATA_CHARS = 2000;

/** `socket.data` as searchable text (the dashboard shows it, so an operator looks for a nickname in it). */
function dataText(socket: Socket): string {
  const data: unknown = socket.data;
  if (typeof data !== 'object' || data === null) return '';
  try {
    const { _admin: _ignored, ...rest } = data as Record<string, unknown>;
    return (JSON.stringify(rest) ?? '').slice(0, MAX_SEARCHED_DATA_CHARS).toLowerCase();
  } catch {
    return ''; // cyclic or otherwise unserializable data is shown as nothing and found by nothing
  }
}

function matchesSearch(socket: Socket, search: string): boolean {
  if (socket.id.toLowerCase().includes(search)) return true;
  if (socket.client.conn.id.toLowerCase().includes(search)) return true;
  if (socketAddress(socket).toLowerCase().includes(search)) return true;
  if (socket.conn.transport.name.includes(search)) return true;
  for (const room of socket.rooms) if (room.toLowerCase().includes(search)) return true;
  return dataText(socket).includes(search);
}

/** The asked namespace, or every namespace but the admin one (the dashboards are not what operators look for). */
function selectedNamespaces(io: Server, nsp: unknown, adminNamespace: string): Namespace[] {
  if (typeof nsp === 'string' && nsp !== '') {
    const one = io._nsps.get(nsp);
    return one ? [one] : [];
  }
  return [...io._nsps.values()].filter((candidate) => candidate.name !== adminNamespace);
}

/** Builds the overview, page and room answers from the local server's state. */
export class OverviewBuilder {
  readonly #io: Server;
  readonly #serverId: string;
  readonly #traffic: TrafficMeter;
  readonly #activity: ActivityLog;
  readonly #adminNamespace: string;

  constructor(io: Server, serverId: string, adminNamespace: string, traffic: TrafficMeter, activity: ActivityLog) {
    this.#adminNamespace = adminNamespace;
    this.#io = io;
    this.#serverId = serverId;
    this.#traffic = traffic;
    this.#activity = activity;
  }

  /** Closes the current second and describes the server; call once a second. */
  overview(): Overview {
    const sample = this.#traffic.sample();
    // The chart point is kept in the history too: it counts the application's clients, as the overview does.
    sample.clients = Math.max(0, sample.clients - this.#dashboardOnlyClients());
    return this.#describe(sample, this.#activity.take());
  }

  /** Connections that are only a dashboard (nothing but the admin namespace): not the application's clients. */
  #dashboardOnlyClients(): number {
    let count = 0;
    const admin = this.#io._nsps.get(this.#adminNamespace);
    if (admin === undefined) return 0;
    for (const socket of admin.sockets.values()) if (socket.client.sockets.size === 1) count++;
    return count;
  }

  /** The server as of the last closed second, without closing one: for a dashboard that just connected. */
  snapshot(): Overview {
    const last = this.#traffic.history.at(-1);
    const sample = last ?? {
      t: Date.now(),
      clients: this.#traffic.clientsCount,
      packetsIn: 0,
      packetsOut: 0,
      bytesIn: 0,
      bytesOut: 0,
    };
    const counts = { connected: 0, disconnected: 0, joined: 0, left: 0, received: 0, sent: 0 };
    return this.#describe(sample, { counts, entries: [], dropped: 0 });
  }

  #describe(sample: TrafficSample, activity: Overview['activity']): Overview {
    const namespaces = [...this.#io._nsps.values()].map((nsp) => ({
      name: nsp.name,
      socketsCount: nsp.sockets.size,
      roomsCount: nsp.adapter.rooms.size,
    }));
    return {
      serverId: this.#serverId,
      hostname: hostname(),
      pid: process.pid,
      uptime: process.uptime(),
      clientsCount: Math.max(0, this.#traffic.clientsCount - this.#dashboardOnlyClients()),
      pollingClientsCount: this.#traffic.pollingClientsCount,
      namespaces,
      sample,
      activity,
    };
  }

  /** One page of sockets, filtered; `total` counts every match. Iterates without copying the socket maps. */
  socketsPage(query: SocketsQuery): SocketsPage {
    const { offset, limit } = pageBounds(query.offset, query.limit);
    const search = text(query.search);
    const room = typeof query.room === 'string' && query.room !== '' ? query.room : undefined;
    const sockets: SerializedSocket[] = [];
    let total = 0;
    for (const nsp of selectedNamespaces(this.#io, query.nsp, this.#adminNamespace)) {
      // A socket's own-id room is implicit (not in adapter.rooms), so a socket id as room selects that socket.
      const members =
        room === undefined ? undefined : (nsp.adapter.rooms.get(room) ?? (nsp.sockets.has(room) ? [room] : []));
      const candidates = members ?? nsp.sockets.keys();
      for (const id of candidates) {
        const socket = nsp.sockets.get(id);
        if (socket === undefined) continue;
        if (search !== '' && !matchesSearch(socket, search)) continue;
        if (total >= offset && sockets.length < limit) sockets.push(serializeSocket(socket, nsp.name));
        total++;
      }
    }
    return { serverId: this.#serverId, total, offset, sockets };
  }

  /** One page of named rooms, largest first. */
  roomsPage(query: RoomsQuery): RoomsPage {
    const { offset, limit } = pageBounds(query.offset, query.limit);
    const search = text(query.search);
    const rooms: RoomsPage['rooms'] = [];
    for (const nsp of selectedNamespaces(this.#io, query.nsp, this.#adminNamespace)) {
      for (const [name, members] of nsp.adapter.rooms) {
        if (search !== '' && !name.toLowerCase().includes(search)) continue;
        rooms.push({ nsp: nsp.name, name, size: members.size });
      }
    }
    rooms.sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
    return { serverId: this.#serverId, total: rooms.length, offset, rooms: rooms.slice(offset, offset + limit) };
  }
}
