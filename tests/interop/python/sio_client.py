# python-socketio AsyncClient peer driven by JSON-line commands on stdin; reports what it sees as JSON lines.
#
# Usage: /usr/bin/python3 sio_client.py [--deadline SECONDS]
# Commands (one JSON object per line; "id" names a client so one process can host several):
#   {"op":"connect","id":"a","url":"http://127.0.0.1:N","transports":["websocket"],"namespaces":["/"],"auth":{}}
#   {"op":"emit","id":"a","nsp":"/","event":"ev","args":[...],"ack":"tag"}   ("ack" optional: asks for an ack)
#   {"op":"leave","id":"a","nsp":"/"}   (sends one DISCONNECT packet)
#   {"op":"disconnect","id":"a"}        {"op":"exit"}
# Lines printed: ready, connected / connect_failed (the connect call), connect / connect_error / disconnect (per
# namespace), event (with "acked"), ack (with "tag"), left, disconnected. Every incoming event that asks for an ack is
# acknowledged with its own arguments, so the test can check both directions with one rule.
import argparse
import asyncio
import logging
import sys

import socketio

from jsonlines import emit_line, read_commands, run_until_done, to_wire


def make_client(client_id, namespaces):
    sio = socketio.AsyncClient(reconnection=False)

    for nsp in namespaces:
        def bind(nsp):
            async def on_connect():
                emit_line(ev='connect', id=client_id, nsp=nsp)

            async def on_connect_error(*data):
                emit_line(ev='connect_error', id=client_id, nsp=nsp, data=list(data))

            async def on_disconnect():
                emit_line(ev='disconnect', id=client_id, nsp=nsp)

            async def on_any(event, *args):
                emit_line(ev='event', id=client_id, nsp=nsp, event=event, args=list(args))
                # python-socketio sends the return value as the ack only when the packet carried an ack id
                return tuple(args)

            sio.on('connect', on_connect, namespace=nsp)
            sio.on('connect_error', on_connect_error, namespace=nsp)
            sio.on('disconnect', on_disconnect, namespace=nsp)
            sio.on('*', on_any, namespace=nsp)
        bind(nsp)
    return sio


async def main(deadline):
    clients = {}

    async def handle(command):
        op = command.get('op')
        client_id = command.get('id', 'default')
        if op == 'connect':
            namespaces = command.get('namespaces', ['/'])
            sio = make_client(client_id, namespaces)
            clients[client_id] = sio
            try:
                # wait=False: connect returns once Engine.IO is open; namespace results arrive as lines
                await sio.connect(command['url'], transports=command.get('transports'),
                                  namespaces=namespaces, auth=command.get('auth'), wait=False)
            except socketio.exceptions.ConnectionError as exc:
                emit_line(ev='connect_failed', id=client_id, error=str(exc))
                return
            emit_line(ev='connected', id=client_id, transport=sio.transport())
        elif op == 'emit':
            sio = clients[client_id]
            tag = command.get('ack')
            callback = None
            if tag is not None:
                def callback(*args, tag=tag):
                    emit_line(ev='ack', id=client_id, tag=tag, args=list(args))
            args = to_wire(command.get('args', []))
            await sio.emit(command['event'], tuple(args), namespace=command.get('nsp', '/'), callback=callback)
        elif op == 'disconnect':
            await clients[client_id].disconnect()
            emit_line(ev='disconnected', id=client_id)
        elif op == 'leave':
            # 5.7 has no public per-namespace disconnect, and its disconnect() aborts the transport before the
            # queued DISCONNECT packets are written; this sends exactly one DISCONNECT and keeps Engine.IO open
            sio = clients[client_id]
            nsp = command.get('nsp', '/')
            await sio._send_packet(sio.packet_class(socketio.packet.DISCONNECT, namespace=nsp))
            emit_line(ev='left', id=client_id, nsp=nsp)
        else:
            emit_line(ev='bad_command', op=op)

    emit_line(ev='ready')
    try:
        await run_until_done(read_commands(handle), deadline)
    finally:
        for sio in clients.values():
            if sio.connected:
                await sio.disconnect()


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--deadline', type=float, default=30.0)
    options = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    asyncio.run(main(options.deadline))
