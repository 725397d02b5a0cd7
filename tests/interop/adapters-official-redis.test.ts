// socket.io's own @socket.io/redis-adapter (v8, classic pub/sub with node-redis) on two of our server nodes.
import { describeAdapterCluster, uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

describeAdapterCluster('@socket.io/redis-adapter 8 (node-redis) on two Switchboard nodes', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('redis');
    return [
      { name: 'A', adapter: { kind: 'redis', key } },
      { name: 'B', adapter: { kind: 'redis', key } },
    ];
  },
});
