// HTTP long-polling: one pending GET carries the server's packets, POSTs carry the client's; at most one of each.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { EnginePacket } from '@switchboard/protocol';
import { CodecError, decodePayload, decodePayloadV3, encodePacket, encodePayloadV3 } from '@switchboard/protocol';
import createDebug from 'debug';
import type { EngineContext, OutgoingPacket } from '../context.js';
import { EngineError, EngineErrorCode, HandshakeErrorCode } from '../errors.js';
import { abortRequest, writePollingBody } from '../http/respond.js';
import { Transport } from './transport.js';

const debug = createDebug('switchboard:engine:polling');

const RECORD_SEPARATOR = '\x1e'; // separates packets in a v4 polling payload
// How long a close waits for the client's next GET to carry the close packet.
const CLOSE_TIMEOUT_MS = 30_000;

const kTransport = Symbol('switchboard.engine.polling');
const TOO_MANY_PACKETS = Symbol('too many packets');

interface TaggedResponse extends ServerResponse {
  [kTransport]?: PollingTransport;
}

// Idle polling sessions hold their GET open: one shared listener finds the transport through the response instead
// of a closure per parked request.
function onPollResponseClose(this: TaggedResponse): void {
  this[kTransport]?.onGetClosed(this);
}

/** The polling transport of one session. */
export class PollingTransport extends Transport {
  /** The session id, for the cookie and `headers` listeners. */
  sessionId = '';
  #getReq: IncomingMessage | undefined;
  #getRes: ServerResponse | undefined;
  #postReq: IncomingMessage | undefined;
  #pendingClose: (() => void) | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(context: EngineContext, protocol: 3 | 4, supportsBinary: boolean) {
    super(context, protocol, supportsBinary);
  }

  get name(): 'polling' {
    return 'polling';
  }

  get writable(): boolean {
    return this.#getRes !== undefined;
  }

  /** @internal */
  canFlush(): boolean {
    return this.#getRes !== undefined;
  }

  /** Answers one HTTP request of this session: GET waits for packets, POST delivers them, anything else is 500. */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET') this.#onPoll(req, res);
    else if (req.method === 'POST') this.#onData(req, res);
    else {
      res.writeHead(500);
      res.end();
    }
  }

  #onPoll(req: IncomingMessage, res: ServerResponse): void {
    if (this.#getRes !== undefined) {
      debug('second concurrent GET for %s', this.sessionId);
      res.writeHead(400);
      res.end();
      this.reportError(new EngineError(EngineErrorCode.POLLING_OVERLAP, 'overlap from client'));
      return;
    }
    this.#getReq = req;
    this.#getRes = res;
    (res as TaggedResponse)[kTransport] = this;
    res.on('close', onPollResponseClose);
    if (this.#pendingClose !== undefined) {
      this.send([{ type: 'noop', options: {} }]);
      return;
    }
    this.owner?.onTransportReady(this);
  }

  /** @internal The response of a GET closed. */
  onGetClosed(res: ServerResponse): void {
    // We drop our reference before answering, so a close of the response we still hold means the client left.
    if (this.#getRes !== res) return;
    this.#getReq = this.#getRes = undefined;
    this.reportError(new EngineError(EngineErrorCode.TRANSPORT_CLOSED, 'poll connection closed prematurely'));
  }

  #onData(req: IncomingMessage, res: ServerResponse): void {
    if (this.#postReq !== undefined) {
      res.writeHead(400);
      res.end();
      this.reportError(new EngineError(EngineErrorCode.POLLING_OVERLAP, 'data request overlap from client'));
      return;
    }
    const isBinary = req.headers['content-type'] === 'application/octet-stream';
    if (isBinary && this.protocol === 4) {
      res.writeHead(400);
      res.end();
      this.reportError(
        new EngineError(EngineErrorCode.INVALID_CONTENT_TYPE, 'application/octet-stream is not allowed on v4'),
      );
      return;
    }
    const maxBytes = this.context.options.maxHttpBufferSize;
    if (Number(req.headers['content-length']) > maxBytes) {
      this.#refuseOversize(req, res);
      return;
    }
    this.#postReq = req;
    const { maxBufferedChunks, httpRequestBodyTimeout } = this.context.options;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    // A body trickled in slowly, or in many tiny chunks, must not hold the request and its buffers for ever.
    const refuse = (status: number, error: EngineError): void => {
      refused = true;
      chunks.length = 0;
      clearTimeout(bodyTimer);
      this.#postReq = undefined;
      res.writeHead(status, { Connection: 'close' });
      res.end();
      req.destroy();
      this.reportError(error);
    };
    const bodyTimer = setTimeout(() => {
      debug('POST body not received within httpRequestBodyTimeout for %s', this.sessionId);
      refuse(408, new EngineError(EngineErrorCode.BODY_TIMEOUT, 'http request timeout'));
    }, httpRequestBodyTimeout);
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        refused = true;
        clearTimeout(bodyTimer);
        chunks.length = 0;
        this.#postReq = undefined;
        this.#refuseOversize(req, res);
        return;
      }
      chunks.push(chunk);
      if (chunks.length > maxBufferedChunks) {
        debug('POST body in more than maxBufferedChunks chunks for %s', this.sessionId);
        refuse(413, new EngineError(EngineErrorCode.TOO_MANY_CHUNKS, 'too many chunks'));
      }
    });
    req.once('end', () => {
      clearTimeout(bodyTimer);
      if (refused) return;
      this.#postReq = undefined;
      const body = Buffer.concat(chunks, size);
      const packets = this.#decode(isBinary ? body : body.toString('utf8'));
      if (packets === TOO_MANY_PACKETS) {
        this.#refuseTooManyPackets(res);
        return;
      }
      // Answered before dispatching, so nothing the packets set off (a close, an application's handler that a
      // boundary failed to contain) can leave the client's POST without its answer.
      const headers: OutgoingHttpHeaders = { 'Content-Type': 'text/html', 'Content-Length': 2 };
      res.writeHead(200, this.#decorate(req, headers));
      res.end('ok');
      this.#receive(packets);
    });
    req.once('close', () => {
      clearTimeout(bodyTimer);
      if (refused || req.complete || this.#postReq !== req) return;
      this.#postReq = undefined;
      this.reportError(new EngineError(EngineErrorCode.TRANSPORT_CLOSED, 'data request connection closed prematurely'));
    });
  }

  #refuseOversize(req: IncomingMessage, res: ServerResponse): void {
    debug('POST body over maxHttpBufferSize for %s', this.sessionId);
    // Closing the connection saves reading the rest of an oversize body just to keep the connection alive.
    res.writeHead(413, { Connection: 'close' });
    res.end();
    req.resume();
  }

  #decode(body: string | Buffer): EnginePacket[] | CodecError | typeof TOO_MANY_PACKETS {
    const maxPackets = this.context.options.maxPacketsPerPayload;
    if (this.protocol === 3) {
      const packets = decodePayloadV3(body);
      return Array.isArray(packets) && packets.length > maxPackets ? TOO_MANY_PACKETS : packets;
    }
    // Counted before decoding: a megabyte of one-byte packets is half a million of them to dispatch.
    const text = body as string;
    let count = 1;
    for (let at = text.indexOf(RECORD_SEPARATOR); at !== -1; at = text.indexOf(RECORD_SEPARATOR, at + 1)) {
      if (++count > maxPackets) return TOO_MANY_PACKETS;
    }
    return decodePayload(text);
  }

  #refuseTooManyPackets(res: ServerResponse): void {
    const maxPackets = this.context.options.maxPacketsPerPayload;
    debug('POST with more than %d packets for %s', maxPackets, this.sessionId);
    abortRequest(res, HandshakeErrorCode.BAD_REQUEST);
    this.reportError(
      new EngineError(EngineErrorCode.TOO_MANY_PACKETS, `a polling payload carried more than ${maxPackets} packets`),
    );
  }

  #receive(packets: EnginePacket[] | CodecError): void {
    if (packets instanceof CodecError) {
      this.reportError(new EngineError(EngineErrorCode.PARSE_ERROR, packets.message, { cause: packets }), true);
      return;
    }
    for (const packet of packets) {
      // A packet may close the session (or the transport); later packets of the payload are then dropped.
      if (this.readyState !== 'open' || this.owner === undefined) return;
      if (packet.type === 'close') {
        this.#onClientClose();
        return;
      }
      this.owner.onTransportPacket(this, packet);
    }
  }

  #onClientClose(): void {
    debug('client sent close on %s', this.sessionId);
    // The pending GET gets a noop so the client's poll loop ends cleanly.
    if (this.#getRes !== undefined) this.send([{ type: 'noop', options: {} }]);
    this.reportClose();
  }

  /** @internal */
  send(packets: OutgoingPacket[], onSent?: () => void): void {
    const req = this.#getReq;
    const res = this.#getRes;
    if (req === undefined || res === undefined) return;
    this.#getReq = this.#getRes = undefined;
    const pendingClose = this.#pendingClose;
    if (pendingClose !== undefined) {
      this.#pendingClose = undefined;
      packets.push({ type: 'close', options: {} });
    }
    let body: string | Uint8Array;
    if (this.protocol === 4) {
      body = '';
      for (let i = 0; i < packets.length; i++) {
        const packet = packets[i] as OutgoingPacket;
        if (i > 0) body += RECORD_SEPARATOR;
        body += packet.prepared !== undefined ? packet.prepared.pollingRecord : (encodePacket(packet, false) as string);
      }
    } else {
      body = encodePayloadV3(packets, this.supportsBinary);
    }
    const headers: OutgoingHttpHeaders = {
      // Explicit UTF-8: the page that embeds the client may not be served as UTF-8.
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=UTF-8' : 'application/octet-stream',
    };
    const compress = packets.some((packet) => packet.options.compress !== false);
    const compression = compress ? this.context.options.httpCompression : false;
    writePollingBody(req, res, this.#decorate(req, headers), body, compression, () => {
      onSent?.();
    });
    pendingClose?.();
  }

  protected doClose(onClosed: (() => void) | undefined): void {
    this.#postReq?.destroy();
    this.#postReq = undefined;
    const finish = (): void => {
      clearTimeout(this.#closeTimer);
      this.#closeTimer = undefined;
      this.#pendingClose = undefined;
      onClosed?.();
      this.reportClose();
    };
    if (this.#getRes !== undefined) {
      this.send([{ type: 'close', options: {} }]);
      finish();
    } else if (this.discarded) {
      finish();
    } else {
      // The close packet rides on the client's next GET; a client that never polls again is given up on.
      this.#pendingClose = finish;
      this.#closeTimer = setTimeout(finish, CLOSE_TIMEOUT_MS).unref();
    }
  }

  // A client that stopped answering is not waited for: no later GET is awaited for the goodbye. A GET it has parked
  // is still answered with the close packet (as engine.io does), so the client learns the session ended instead of
  // seeing its poll reset.
  protected doTerminate(): void {
    clearTimeout(this.#closeTimer);
    this.#closeTimer = undefined;
    this.#pendingClose = undefined;
    this.#postReq?.destroy();
    this.#postReq = undefined;
    if (this.#getRes !== undefined) this.send([{ type: 'close', options: {} }]);
  }

  #decorate(req: IncomingMessage, headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
    const agent = req.headers['user-agent'];
    // Old IE's XSS filter mangles polling responses.
    if (agent !== undefined && (agent.includes(';MSIE') || agent.includes('Trident/')))
      headers['X-XSS-Protection'] = '0';
    headers['cache-control'] = 'no-store';
    this.context.decorateHeaders(headers, req, this.sessionId);
    return headers;
  }
}
