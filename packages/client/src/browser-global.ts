// Entry of the script-tag bundles: the global `io` function (index.ts attaches Manager, Socket and protocol to it).
import { io } from './index.js';

(globalThis as { io?: typeof io }).io = io;
