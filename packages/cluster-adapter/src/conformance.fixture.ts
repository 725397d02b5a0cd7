// The node:cluster adapter as a conformance factory: each server process is a worker of the test process, whose
// setupPrimary() relays between them.
import type { AdapterConstructor } from '@switchboard/server';
import type { ConformanceNodeContext } from '@switchboard/adapter/conformance';
import { createAdapter as createNodeClusterAdapter } from './index.js';

export function createAdapter(context: ConformanceNodeContext): AdapterConstructor {
  const { requestsTimeout, heartbeatInterval, heartbeatTimeout } = context;
  return createNodeClusterAdapter({ requestsTimeout, heartbeatInterval, heartbeatTimeout });
}
