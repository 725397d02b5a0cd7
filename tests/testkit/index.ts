// Shared helpers for the cross-package suites: real sockets on 127.0.0.1, bounded waits, Python peers, Chromium.
export { listen, startHttpServer, closeServer } from './listen.js';
export { waitFor, waitForOutcome, withTimeout, record, DEFAULT_WAIT_MS } from './wait-for.js';
export type { EventSource } from './wait-for.js';
export { runPython, PythonPeer, PYTHON } from './python.js';
export type { JsonLine, LineMatcher, RunPythonOptions } from './python.js';
export { launchBrowser, CHROMIUM_PATH } from './browser.js';
export { failNotReady } from './not-ready.js';
export { jsonBytes, fromJsonBytes, toBuffers } from './json-bytes.js';
export type { JsonBytes } from './json-bytes.js';
export {
  officialServer,
  officialClient,
  switchboardServer,
  switchboardClient,
  serverImplementations,
  clientImplementations,
  browserBundles,
} from './implementations.js';
export type {
  ServerImplementation,
  ClientImplementation,
  BrowserBundle,
  BrowserTransport,
  ClientSocket,
  ClientOptions,
} from './implementations.js';
