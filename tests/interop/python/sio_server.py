# python-socketio AsyncServer on aiohttp, listening on 127.0.0.1 at a port it picks, for clients under test.
#
# Usage: /usr/bin/python3 sio_server.py [--deadline S] [--ping-interval S] [--ping-timeout S]; exits when stdin
# closes or the deadline passes.
# Prints {"ev":"listening","port":N} first, then connect / connect_refused / event / disconnect / answer lines.
# Namespaces "/" and "/chat" accept everyone except auth {"refuse": true}; "/admin" always refuses with
# ConnectionRefusedError("not authorized", {"code": 42}). Events (any namespace):
#   echo ...args           -> emits "echo" back with the same args; acks with the same args
#   join room              -> enters the room; acks "joined"
#   broadcast room ev ...  -> emits ev(...) to the room; acks "sent"
#   ask ...args            -> emits "question"(...args) to the caller asking for an ack, then emits "answer"
#                             with the ack's arguments and prints an answer line
#   blob size              -> emits "blob" with `size` bytes (byte i is i % 251) to the caller; acks "sent"
#   kick                   -> server-side disconnect of the caller's namespace
#   anything else          -> acks with its own args
import argparse
import asyncio
import logging
import socket
import sys

import socketio
from aiohttp import web

from jsonlines import emit_line, read_commands, run_until_done

NAMESPACES = ('/', '/chat', '/admin')


def make_server(ping_interval, ping_timeout):
    sio = socketio.AsyncServer(async_mode='aiohttp', cors_allowed_origins='*',
                               ping_interval=ping_interval, ping_timeout=ping_timeout)

    def bind(nsp):
        async def on_connect(sid, environ, auth=None):
            emit_line(ev='connect', sid=sid, nsp=nsp, auth=auth,
                      query=environ.get('QUERY_STRING', ''))
            if nsp == '/admin' or (isinstance(auth, dict) and auth.get('refuse')):
                emit_line(ev='connect_refused', sid=sid, nsp=nsp)
                raise socketio.exceptions.ConnectionRefusedError('not authorized', {'code': 42})

        async def on_disconnect(sid):
            emit_line(ev='disconnect', sid=sid, nsp=nsp)

        async def on_any(event, sid, *args):
            emit_line(ev='event', sid=sid, nsp=nsp, event=event, args=list(args))
            if event == 'echo':
                await sio.emit('echo', tuple(args), to=sid, namespace=nsp)
                return tuple(args)
            if event == 'join':
                sio.enter_room(sid, args[0], namespace=nsp)
                return 'joined'
            if event == 'broadcast':
                await sio.emit(args[1], tuple(args[2:]), room=args[0], namespace=nsp)
                return 'sent'
            if event == 'ask':
                async def on_answer(*answer):
                    emit_line(ev='answer', sid=sid, nsp=nsp, args=list(answer))
                    await sio.emit('answer', tuple(answer), to=sid, namespace=nsp)
                await sio.emit('question', tuple(args), to=sid, namespace=nsp, callback=on_answer)
                return None
            if event == 'blob':
                await sio.emit('blob', bytes(i % 251 for i in range(args[0])), to=sid, namespace=nsp)
                return 'sent'
            if event == 'kick':
                await sio.disconnect(sid, namespace=nsp)
                return None
            return tuple(args)

        sio.on('connect', on_connect, namespace=nsp)
        sio.on('disconnect', on_disconnect, namespace=nsp)
        sio.on('*', on_any, namespace=nsp)

    for nsp in NAMESPACES:
        bind(nsp)
    return sio


async def main(options):
    sio = make_server(options.ping_interval, options.ping_timeout)
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    # bind the socket ourselves so the port the OS picked is known before anyone connects
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', 0))
    site = web.SockSite(runner, listener, shutdown_timeout=0.5)
    await site.start()
    emit_line(ev='listening', port=listener.getsockname()[1])

    async def handle(command):
        emit_line(ev='bad_command', op=command.get('op'))

    try:
        await run_until_done(read_commands(handle), options.deadline)
    finally:
        await runner.cleanup()


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--deadline', type=float, default=30.0)
    parser.add_argument('--ping-interval', type=float, default=25.0)
    parser.add_argument('--ping-timeout', type=float, default=20.0)
    options = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    asyncio.run(main(options))
