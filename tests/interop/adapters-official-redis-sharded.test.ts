// socket.io's own createShardedAdapter (@socket.io/redis-adapter 8, Redis 7 SPUBLISH/SSUBSCRIBE) on two of our
// server nodes, through node-redis.
import { describeAdapterCluster, uniqueKey, type NodeSetup } from './adapter-cluster-kit.js';

describeAdapterCluster('@socket.io/redis-adapter 8 createShardedAdapter (node-redis) on two Switchboard nodes', {
  setups: (): NodeSetup[] => {
    const key = uniqueKey('sharded');
    return [
      { name: 'A', adapter: { kind: 'redis-sharded', key } },
      { name: 'B', adapter: { kind: 'redis-sharded', key } },
    ];
  },
});
