// Entry of the script-tag bundles: a global `io` function carrying Manager, Socket and protocol, as socket.io-client's.
import { connect, io, Manager, protocol, Socket } from './index.js';

Object.assign(io, { io, connect, Manager, Socket, protocol });
(globalThis as { io?: typeof io }).io = io;
