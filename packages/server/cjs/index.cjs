'use strict';
// CommonJS entry: `require('@switchboard/server')(3000)` and `require('@switchboard/server')(httpServer, opts)`,
// as socket.io allows. Node >= 20.19 can require the ESM build synchronously; this file only adds the callable.
const esm = require('../dist/index.js');

function createServer(srv, opts) {
  return new esm.Server(srv, opts);
}

for (const name of Object.keys(esm)) {
  if (name !== 'default') createServer[name] = esm[name];
}

module.exports = createServer;
