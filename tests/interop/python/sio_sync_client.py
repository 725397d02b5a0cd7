# python-socketio's threaded Client (WebSocket through python3-websocket, no polling: python3-requests is not
# needed) running one fixed scenario against a server under test, reporting each step as a JSON line.
#
# Usage: /usr/bin/python3 sio_sync_client.py URL [--deadline SECONDS]
# Scenario: connect with auth {"flavour":"sync"} -> call "sum"(2, 3) and print the ack -> emit "bytes" with
# {"blob": b"\x00\x01\xff"} -> the server is expected to emit "question"(...) asking for an ack (answered with
# the same arguments) and then "bye" -> disconnect. Lines: connected, ack, question, bye, disconnect, done.
import argparse
import logging
import os
import sys
import threading

import socketio

from jsonlines import emit_line

STEP_TIMEOUT_SECONDS = 5


def run(url):
    sio = socketio.Client(reconnection=False)
    bye = threading.Event()

    @sio.on('question')
    def on_question(*args):
        emit_line(ev='question', args=list(args))
        return tuple(args)

    @sio.on('bye')
    def on_bye(*args):
        emit_line(ev='bye', args=list(args))
        bye.set()

    @sio.on('disconnect')
    def on_disconnect():
        emit_line(ev='disconnect')

    sio.connect(url, transports=['websocket'], auth={'flavour': 'sync'}, wait_timeout=STEP_TIMEOUT_SECONDS)
    emit_line(ev='connected', transport=sio.transport(), sid=sio.get_sid())
    # call() returns the single ack argument, or a tuple when the server acked with several
    emit_line(ev='ack', value=sio.call('sum', (2, 3), timeout=STEP_TIMEOUT_SECONDS))
    sio.emit('bytes', {'blob': b'\x00\x01\xff'})
    if not bye.wait(STEP_TIMEOUT_SECONDS):
        emit_line(ev='timeout', waiting_for='bye')
    sio.disconnect()
    emit_line(ev='done')


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('url')
    parser.add_argument('--deadline', type=float, default=20.0)
    options = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    # the client's threads may hang on a dead peer; the watchdog guarantees the process ends
    watchdog = threading.Timer(options.deadline, lambda: (emit_line(ev='deadline'), os._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    try:
        run(options.url)
    except Exception as exc:
        emit_line(ev='failed', error='{}: {}'.format(type(exc).__name__, exc))
    os._exit(0)
