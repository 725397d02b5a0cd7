// A mixed cluster on one Redis: an official socket.io 4.8 node and one of ours, both with @socket.io/redis-adapter 8.
// The suite runs operations from node A, so it runs twice: official first, then ours first (both directions).
import { describeAdapterCluster } from './adapter-cluster-suite.js';
import { uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

describeAdapterCluster('mixed cluster, @socket.io/redis-adapter 8: socket.io 4.8 node A, Switchboard node B', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('mixed1');
    return [
      { name: 'A', adapter: { kind: 'redis', key }, implementation: 'socket.io' },
      { name: 'B', adapter: { kind: 'redis', key }, implementation: 'switchboard' },
    ];
  },
});

describeAdapterCluster('mixed cluster, @socket.io/redis-adapter 8: Switchboard node A, socket.io 4.8 node B', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('mixed2');
    return [
      { name: 'A', adapter: { kind: 'redis', key }, implementation: 'switchboard' },
      { name: 'B', adapter: { kind: 'redis', key }, implementation: 'socket.io' },
    ];
  },
});
