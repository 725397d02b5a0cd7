// instrument(): turns a namespace of the server into the admin endpoint that both admin-ui and our dashboard use.
import { hostname } from 'node:os';
import createDebug from 'debug';
import type { EventsMap, Namespace, Server, Socket } from '@switchboard/server';
import { handleActions, supportedFeatures } from './actions.js';
import { ActivityLog } from './activity-log.js';
import { answerClusterRequests, clusterSocketsPage } from './cluster-pages.js';
import { takeNewSession, useBasicAuth } from './auth.js';
import { resolveOptions, type InstrumentOptions } from './options.js';
import { OverviewBuilder, type RoomsQuery, type SocketsQuery } from './overview.js';
import { serializeSocket, type SerializedSocket } from './serialize.js';
import type { CompatSink } from './socket-watcher.js';
import { watchNamespace } from './socket-watcher.js';
import { TrafficMeter } from './traffic-meter.js';

const debug = createDebug('switchboard:admin:instrument');

/** Our dashboards join this room in the admin namespace; everyone else gets admin-ui's per-change events. */
export const COMPACT_ROOM = 'sb:compact';
const OVERVIEW_INTERVAL_MS = 1000;
const SERVER_STATS_INTERVAL_MS = 2000; // admin-ui's cadence

/** What `instrument()` returns: stop the timers (the namespace stays until the server closes). */
export interface Instrumentation {
  readonly namespace: Namespace;
  close(): void;
}

function isCompactClient(socket: Socket): boolean {
  return socket.handshake.auth['client'] === 'switchboard';
}

function allSockets(io: Server): SerializedSocket[] {
  const sockets: SerializedSocket[] = [];
  for (const nsp of io._nsps.values())
    for (const socket of nsp.sockets.values()) sockets.push(serializeSocket(socket, nsp.name));
  return sockets;
}

/**
 * Serves the admin protocol of @socket.io/admin-ui on `namespaceName`, so the official dashboard works unchanged,
 * plus paged and aggregated `sb:*` events for the Switchboard dashboard (see `createAdminHandler`).
 * @example
 * instrument(io, { auth: { type: 'basic', username: 'admin', password: '$2b$10$...' } });
 */
export function instrument<L extends EventsMap, E extends EventsMap, S extends EventsMap, D>(
  server: Server<L, E, S, D>,
  opts: InstrumentOptions,
): Instrumentation {
  const options = resolveOptions(opts);
  // The admin code reads sockets and rooms only; the user's event maps do not matter to it.
  const io = server as unknown as Server;
  const development = options.mode === 'development';
  const adminNsp = io.of(options.namespaceName);
  if (options.auth !== false) useBasicAuth(adminNsp, options.auth, options.store, options.loginRateLimit);
  else debug('authentication is disabled');

  const features = supportedFeatures(options.readonly, development);
  const traffic = new TrafficMeter();
  const activity = new ActivityLog(development);
  const builder = new OverviewBuilder(io, options.serverId, options.namespaceName, traffic, activity);
  let compatClients = 0;
  const sink: CompatSink = {
    get active() {
      return development && compatClients > 0;
    },
    emit: (event, ...args) => void adminNsp.except(COMPACT_ROOM).emit(event, ...args),
  };

  adminNsp.on('connection', (socket: Socket) => {
    const sessionId = takeNewSession(socket);
    if (sessionId !== undefined) socket.emit('session', sessionId);
    if (!options.readonly) handleActions(io, socket);
    socket.emit('config', {
      supportedFeatures: features,
      serverId: options.serverId,
      readonly: options.readonly,
      mode: options.mode,
    });
    if (isCompactClient(socket)) {
      void socket.join(COMPACT_ROOM);
      socket.emit('sb:history', options.serverId, traffic.history);
      // At once, so the page is filled before the next tick (the chart point is not repeated: same `t`).
      socket.emit('sb:overview', builder.snapshot());
      socket.on('sb:sockets_page', (query: SocketsQuery, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (page: unknown) => void;
        const safeQuery = typeof query === 'object' && query !== null ? query : {};
        clusterSocketsPage(adminNsp, builder, options.serverId, safeQuery).then(
          (page) => reply(page),
          (error: unknown) => debug('sockets page failed: %O', error),
        );
      });
      socket.on('sb:rooms_page', (query: RoomsQuery, ack: unknown) => {
        if (typeof ack === 'function')
          (ack as (page: unknown) => void)(builder.roomsPage(typeof query === 'object' && query !== null ? query : {}));
      });
      return;
    }
    compatClients++;
    socket.on('disconnect', () => compatClients--);
    if (development) socket.emit('all_sockets', allSockets(io));
  });

  traffic.watch(io);
  answerClusterRequests(adminNsp, builder, options.serverId);
  for (const nsp of io._nsps.values()) watchNamespace(nsp, adminNsp, sink, activity, development);
  const onNewNamespace = (nsp: Namespace): void => watchNamespace(nsp, adminNsp, sink, activity, development);
  io.sockets.on('new_namespace', onNewNamespace);

  const emitOverview = (): void => {
    const overview = builder.overview();
    adminNsp.to(COMPACT_ROOM).emit('sb:overview', overview);
  };
  const emitServerStats = (): void => {
    if (compatClients === 0) {
      traffic.takeAggregated();
      return;
    }
    sink.emit('server_stats', {
      serverId: options.serverId,
      hostname: hostname(),
      pid: process.pid,
      uptime: process.uptime(),
      clientsCount: traffic.clientsCount,
      pollingClientsCount: traffic.pollingClientsCount,
      aggregatedEvents: traffic.takeAggregated(),
      namespaces: [...io._nsps.values()].map((nsp) => ({ name: nsp.name, socketsCount: nsp.sockets.size })),
    });
  };
  const overviewTimer = setInterval(emitOverview, OVERVIEW_INTERVAL_MS);
  const statsTimer = setInterval(emitServerStats, SERVER_STATS_INTERVAL_MS);
  overviewTimer.unref();
  statsTimer.unref();

  return {
    namespace: adminNsp,
    close() {
      clearInterval(overviewTimer);
      clearInterval(statsTimer);
      io.sockets.off('new_namespace', onNewNamespace);
    },
  };
}
