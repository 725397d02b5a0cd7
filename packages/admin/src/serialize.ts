// A socket as the dashboards show it: admin-ui's serialized shape, which our own dashboard reuses.
import type { Socket } from '@switchboard/server';

/** A socket's details as sent in `all_sockets`, `socket_connected` and our pages. */
export interface SerializedSocket {
  id: string;
  clientId: string;
  transport: string;
  nsp: string;
  data: Record<string, unknown>;
  handshake: {
    address: string;
    headers: Record<string, unknown>;
    query: Record<string, unknown>;
    issued: number;
    secure: boolean;
    time: string;
    url: string;
    xdomain: boolean;
  };
  rooms: string[];
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The client address, preferring what a proxy in front reports. */
export function socketAddress(socket: Socket): string {
  const headers = socket.handshake.headers;
  return (
    firstHeader(headers['cf-connecting-ip']) ?? firstHeader(headers['x-forwarded-for']) ?? socket.handshake.address
  );
}

/** admin-ui hides its own bookkeeping in `data._admin`; keep any user data, drop that key. */
function serializeData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  const { _admin: _ignored, ...rest } = data as Record<string, unknown>;
  return rest;
}

/** Serializes one local socket; the handshake `auth` is never sent (it may hold tokens). */
export function serializeSocket(socket: Socket, nsp: string): SerializedSocket {
  const handshake = socket.handshake;
  return {
    id: socket.id,
    clientId: socket.client.conn.id.slice(0, 12),
    transport: socket.conn.transport.name,
    nsp,
    data: serializeData(socket.data),
    handshake: {
      address: socketAddress(socket),
      headers: handshake.headers,
      query: handshake.query,
      issued: handshake.issued,
      secure: handshake.secure,
      time: handshake.time,
      url: handshake.url,
      xdomain: handshake.xdomain,
    },
    rooms: [...socket.rooms],
  };
}
