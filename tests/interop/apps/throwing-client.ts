// A client application whose listeners throw, kept up by an `uncaughtException` handler as many are. Run as a child
// process by client-user-code.test.ts: argv = [ours|official, url, transport]. Prints one JSON line per fact.
import { io as officialIo } from 'socket.io-client';
import { io as ourIo } from '@switchboard/client';

const [implName, url, transport] = process.argv.slice(2) as [string, string, 'polling' | 'websocket'];
const connect = (implName === 'official' ? officialIo : ourIo) as typeof officialIo;
const print = (fact: object): void => void process.stdout.write(`${JSON.stringify(fact)}\n`);

process.on('uncaughtException', (err) => print({ uncaught: err.message }));

const socket = connect(url, { transports: [transport], reconnection: false });
socket.on('connect', () => {
  print({ connected: true });
  throw new Error('connect listener bug');
});
socket.on('disconnect', (reason) => print({ disconnect: reason }));
socket.onAny((event: string) => {
  if (event === 'any-boom') throw new Error('catch-all listener bug');
});
socket.on('boom', () => {
  throw new Error('event listener bug');
});
socket.on('run', async (step: string) => {
  if (step === 'ack-callback') {
    socket.emit('echo', 'x', () => {
      throw new Error('ack callback bug');
    });
    return;
  }
  const value: unknown = await socket.timeout(3000).emitWithAck('echo', step);
  print({ echo: value });
});
