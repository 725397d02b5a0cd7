// Checks an Engine.IO request before anything else happens, in engine.io's order: transport, origin (well-formed, then
// allowed), then either the session (sid, its address when bound, transport and protocol match) or the handshake rules
// (GET only, no bare WebSocket handshake).
import type { IncomingMessage } from 'node:http';
import type { HandshakeErrorCodeValue } from '../errors.js';
import { HandshakeErrorCode } from '../errors.js';
import type { TransportName } from '../options.js';
import type { TransportArrival } from '../transports/registry.js';
import type { RequestQuery } from './handshake-request.js';
import type { OriginCheck } from './origin.js';

/** A refusal: the numeric protocol code plus details for `connection_error` listeners. */
export interface Refusal {
  code: HandshakeErrorCodeValue;
  context: Record<string, unknown>;
}

/** The session facts verification needs. */
export interface KnownSession {
  readonly transport: { readonly name: string };
  readonly protocol: 3 | 4;
  /** The peer address of the session's handshake. */
  readonly remoteAddress: string | undefined;
}

/** The protocol revision a request asks for: `EIO=4` is v4, anything else (or nothing) is v3, as engine.io reads it. */
export function protocolOf(query: RequestQuery): 3 | 4 {
  return query['EIO'] === '4' ? 4 : 3;
}

// Header values may hold tab and visible ASCII/obs-text; anything else in Origin is an injection attempt.
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** The server's rules a request is checked against. */
export interface VerifyRules {
  readonly transports: readonly TransportName[];
  readonly isOriginAllowed: OriginCheck | undefined;
  readonly bindSessionToAddress: boolean;
  /** How transport `name` arrives (a WebSocket one cannot start a session with a plain request). */
  readonly arrivalOf: (name: string) => TransportArrival | undefined;
}

/** Returns why the request must be refused, or undefined when it may proceed (to allowRequest for handshakes). */
export function verifyRequest(
  req: IncomingMessage,
  query: RequestQuery,
  isUpgrade: boolean,
  rules: VerifyRules,
  findSession: (sid: string) => KnownSession | undefined,
): Refusal | undefined {
  const { transports } = rules;
  const transport = query['transport'];
  if (transport === undefined || !(transports as readonly string[]).includes(transport)) {
    return { code: HandshakeErrorCode.UNKNOWN_TRANSPORT, context: { transport } };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && INVALID_HEADER_CHAR.test(origin)) {
    delete req.headers.origin;
    return { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'INVALID_ORIGIN', origin } };
  }
  // The server's own pages are never cross-site: a list written for other origins (socket.io's docs put only
  // `https://admin.socket.io` in `cors.origin` for the hosted admin UI) must not lock them out.
  if (
    origin !== undefined &&
    rules.isOriginAllowed !== undefined &&
    !rules.isOriginAllowed(origin) &&
    !isSameOrigin(origin, req)
  ) {
    return { code: HandshakeErrorCode.FORBIDDEN, context: { name: 'ORIGIN_NOT_ALLOWED', origin } };
  }
  const sid = query['sid'];
  if (sid !== undefined) {
    const session = findSession(sid);
    if (session === undefined) return { code: HandshakeErrorCode.UNKNOWN_SID, context: { sid } };
    // Answered like an unknown sid, so a guessed or leaked id reveals nothing; the session itself is left alone.
    if (rules.bindSessionToAddress && req.socket.remoteAddress !== session.remoteAddress) {
      return {
        code: HandshakeErrorCode.UNKNOWN_SID,
        context: { sid, name: 'ADDRESS_MISMATCH', remoteAddress: req.socket.remoteAddress },
      };
    }
    const previousTransport = session.transport.name;
    if (!isUpgrade && previousTransport !== transport) {
      return {
        code: HandshakeErrorCode.BAD_REQUEST,
        context: { name: 'TRANSPORT_MISMATCH', transport, previousTransport },
      };
    }
    const protocol = protocolOf(query);
    if (session.protocol !== protocol) {
      return {
        code: HandshakeErrorCode.BAD_REQUEST,
        context: { name: 'PROTOCOL_MISMATCH', protocol, previousProtocol: session.protocol },
      };
    }
    return undefined;
  }
  if (req.method !== 'GET') {
    return { code: HandshakeErrorCode.BAD_HANDSHAKE_METHOD, context: { method: req.method } };
  }
  if (!isUpgrade && rules.arrivalOf(transport) === 'websocket') {
    return { code: HandshakeErrorCode.BAD_REQUEST, context: { name: 'TRANSPORT_HANDSHAKE_ERROR' } };
  }
  return undefined;
}

/** Whether `origin` names the host the request was sent to (the page is served by this server). */
function isSameOrigin(origin: string, req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  const schemeEnd = origin.indexOf('://');
  return schemeEnd !== -1 && origin.slice(schemeEnd + 3).toLowerCase() === host.toLowerCase();
}
