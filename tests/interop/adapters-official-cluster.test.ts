// socket.io's own @socket.io/cluster-adapter under node:cluster: a primary running setupPrimary() and two workers,
// each one of our server nodes on its own port.
import { describeAdapterCluster } from './adapter-cluster-suite.js';
import { uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

describeAdapterCluster('@socket.io/cluster-adapter on two Switchboard workers of a node:cluster primary', {
  // One setup: the primary forks both workers (W-0 is node A, W-1 node B).
  setups: (): NodeSetup[] => [{ name: 'W', adapter: { kind: 'cluster', key: uniqueKey('cluster') } }],
});
