// @ts-check
// The long hostile-input fuzz run: `node bench/fuzz.mjs [--cases N] [--endpoint-cases N] [--seconds S] [--seed N]
// [--only decoders|endpoints]`. Runs tests/fuzz/cli.ts (TypeScript, through tsx, on the packages' sources) against
// ours and socket.io 4.8 and prints a summary table per part; exits 1 when ours failed a property.
// `node bench/fuzz.mjs --seed S --replay http:1016,ws:3 [--repeat N]` reruns the named endpoint cases of the run with
// seed S one at a time against both servers (the run lists its failed cases in that form).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(
  process.execPath,
  ['--conditions=switchboard-source', '--import', 'tsx', 'tests/fuzz/cli.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
