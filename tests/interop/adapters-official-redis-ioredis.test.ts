// socket.io's own @socket.io/redis-adapter (v8, classic pub/sub) on two of our server nodes, through ioredis.
import { describeAdapterCluster, uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

describeAdapterCluster('@socket.io/redis-adapter 8 (ioredis) on two Switchboard nodes', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('ioredis');
    return [
      { name: 'A', adapter: { kind: 'redis-ioredis', key } },
      { name: 'B', adapter: { kind: 'redis-ioredis', key } },
    ];
  },
});
