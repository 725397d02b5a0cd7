// Compile-time check of the CommonJS entry's types (run by types.test.ts): a callable carrying the named exports.
import createIo = require('@switchboard/server');
const io = createIo(3000);
const other: InstanceType<typeof createIo.Server> = new createIo.Server({ path: '/x' });
io.on('connection', (socket) => socket.emit('hello', socket.id));
export { other };
// A port may be a string, as process.env.PORT is.
createIo('3000');
// @ts-expect-error the first argument is a server, a port or options
createIo(true);
