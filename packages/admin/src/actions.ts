// The dashboards' actions (admin-ui's names and arguments): emit, join, leave, disconnect — by socket id or room.
import createDebug from 'debug';
import type { Server, Socket } from '@switchboard/server';

const debug = createDebug('switchboard:admin:actions');

/** admin-ui's feature flags; the dashboards show what the server announces in `config`. */
export const Feature = {
  EMIT: 'EMIT',
  JOIN: 'JOIN',
  LEAVE: 'LEAVE',
  DISCONNECT: 'DISCONNECT',
  MJOIN: 'MJOIN',
  MLEAVE: 'MLEAVE',
  MDISCONNECT: 'MDISCONNECT',
  AGGREGATED_EVENTS: 'AGGREGATED_EVENTS',
  ALL_EVENTS: 'ALL_EVENTS',
} as const;

export type FeatureName = (typeof Feature)[keyof typeof Feature];

/** The features announced to dashboards: no actions when read-only, the event stream only in development. */
export function supportedFeatures(readonly: boolean, development: boolean): FeatureName[] {
  const features: FeatureName[] = readonly
    ? []
    : [
        Feature.EMIT,
        Feature.JOIN,
        Feature.LEAVE,
        Feature.DISCONNECT,
        Feature.MJOIN,
        Feature.MLEAVE,
        Feature.MDISCONNECT,
      ];
  features.push(Feature.AGGREGATED_EVENTS);
  if (development) features.push(Feature.ALL_EVENTS);
  return features;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * Answers the actions of one dashboard. `filter` is a room or a socket id (its own room); without it the action
 * targets the whole namespace. Malformed arguments are ignored and logged, as any bad client input.
 */
export function handleActions(io: Server, admin: Socket): void {
  admin.on('emit', (nsp: unknown, filter: unknown, event: unknown, ...args: unknown[]) => {
    if (!isName(nsp) || !isName(event)) {
      debug('ignored emit with bad arguments');
      return;
    }
    const target = isName(filter) ? io.of(nsp).to(filter) : io.of(nsp);
    try {
      target.emit(event, ...args);
    } catch (error) {
      debug('emit %s refused: %O', event, error);
    }
  });
  admin.on('join', (nsp: unknown, room: unknown, filter: unknown) => {
    if (!isName(nsp) || !isName(room)) {
      debug('ignored join with bad arguments');
      return;
    }
    debug('%s: %s join %s', nsp, isName(filter) ? filter : 'everyone', room);
    (isName(filter) ? io.of(nsp).in(filter) : io.of(nsp)).socketsJoin(room);
  });
  admin.on('leave', (nsp: unknown, room: unknown, filter: unknown) => {
    if (!isName(nsp) || !isName(room)) {
      debug('ignored leave with bad arguments');
      return;
    }
    debug('%s: %s leave %s', nsp, isName(filter) ? filter : 'everyone', room);
    (isName(filter) ? io.of(nsp).in(filter) : io.of(nsp)).socketsLeave(room);
  });
  admin.on('_disconnect', (nsp: unknown, close: unknown, filter: unknown) => {
    if (!isName(nsp)) {
      debug('ignored _disconnect with bad arguments');
      return;
    }
    debug('%s: disconnect %s', nsp, isName(filter) ? filter : 'everyone');
    (isName(filter) ? io.of(nsp).in(filter) : io.of(nsp)).disconnectSockets(close === true);
  });
}
