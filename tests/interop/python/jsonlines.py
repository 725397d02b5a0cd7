# Line-based JSON I/O shared by the interop peers: one JSON object per stdout line, commands read from stdin,
# and the {"$bytes": "<base64>"} convention that carries binary payloads through JSON in both directions.
import asyncio
import base64
import json
import sys

COMMAND_LINE_LIMIT_BYTES = 16 * 1024 * 1024


def to_wire(value):
    """Replaces {"$bytes": b64} markers (from the test) with real bytes, at any depth."""
    if isinstance(value, dict):
        if set(value.keys()) == {'$bytes'}:
            return base64.b64decode(value['$bytes'])
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    return value


def from_wire(value):
    """Replaces bytes received from the peer with {"$bytes": b64} markers so they survive JSON."""
    if isinstance(value, (bytes, bytearray)):
        return {'$bytes': base64.b64encode(bytes(value)).decode('ascii')}
    if isinstance(value, dict):
        return {key: from_wire(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_wire(item) for item in value]
    return value


def emit_line(**fields):
    # flush per line: the test reads lines as they come, and a buffered line would look like a timeout
    sys.stdout.write(json.dumps(from_wire(fields), separators=(',', ':')) + '\n')
    sys.stdout.flush()


async def read_commands(handle):
    """Feeds every stdin line to `handle` until stdin closes (the test ended or was killed)."""
    loop = asyncio.get_running_loop()
    # lines carry base64 payloads of hundreds of KB; the default 64 KiB line limit would kill the peer
    reader = asyncio.StreamReader(limit=COMMAND_LINE_LIMIT_BYTES)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return
        line = line.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
        except ValueError as exc:
            emit_line(ev='bad_command', error=str(exc))
            continue
        if command.get('op') == 'exit':
            return
        try:
            await handle(command)
        except Exception as exc:  # reported, not fatal: the test decides what a failure means
            emit_line(ev='command_failed', op=command.get('op'), id=command.get('id'),
                      error='{}: {}'.format(type(exc).__name__, exc))


async def run_until_done(main, deadline_seconds):
    """Runs `main` but never longer than the deadline, so a forgotten peer exits by itself."""
    try:
        await asyncio.wait_for(main, deadline_seconds)
    except asyncio.TimeoutError:
        emit_line(ev='deadline', seconds=deadline_seconds)
