// @ts-check
// Command-line parsing for `npm run bench -- <scenario[,scenario]> [--vs socketio,ws] [--quick] [--rounds N]`.

export const SCENARIOS = /** @type {const} */ ([
  'idle',
  'connect',
  'broadcast',
  'echo',
  'polling',
  'bundle',
  'install',
]);
/**
 * Scenarios run only when named: cluster needs a Redis server (REDIS_URL, default 127.0.0.1:6379) and takes 10 to
 * 20 minutes of its own (3 rounds), postgres a PostgreSQL server (DATABASE_URL), streams Redis again (REDIS_URL), so
 * "all" leaves them out.
 */
export const OPT_IN_SCENARIOS = /** @type {const} */ (['cluster', 'postgres', 'streams']);
/**
 * Implementations ours is compared with. ws-cork only takes part where it differs from ws (broadcast); ws-sio (raw ws
 * answering the Engine.IO/Socket.IO handshake and nothing more) only where the protocol adds work ws alone skips
 * (connect).
 */
export const REFERENCES = /** @type {const} */ (['socketio', 'ws', 'ws-cork', 'ws-sio']);

/**
 * @typedef {typeof SCENARIOS[number] | typeof OPT_IN_SCENARIOS[number]} Scenario
 * @typedef {'ours' | 'ours-compat' | typeof REFERENCES[number]} Impl ours-compat: ours with socket.io's own adapter
 *   (cluster only), which runs whenever ours does
 * @typedef {{
 *   scenarios: Scenario[],
 *   impls: Impl[],
 *   quick: boolean,
 *   rounds: number,
 *   outDir: string,
 *   saveLatest: boolean,
 *   profile: boolean,
 *   help: boolean,
 * }} Options
 */

export const USAGE = `usage: npm run bench -- <scenario[,scenario...]|all> [options]

scenarios: ${SCENARIOS.join(', ')}, all; only by name: ${OPT_IN_SCENARIOS.join(', ')} (cluster and streams need Redis, postgres PostgreSQL)
options:
  --vs <list>      implementations to compare ours with (default: ${REFERENCES.join(',')})
  --no-ours        leave ours out (e.g. before it is built)
  --quick          smaller loads and one round (all --quick is a ~2-minute smoke run)
  --rounds <n>     A B A B rounds per scenario (default 3, quick 1)
  --out <dir>      where JSON and SVG results go (default bench/results)
  --save-latest    also copy the results to bench/latest/ (default for a full "all" run)
  --profile        servers write a CPU profile of each measured window (and idle heap snapshots) to <out>/profiles;
                   summarise them with bench/profile-summary.mjs
  -h, --help       this text`;

/**
 * Parses the runner's arguments; throws an Error naming the offending argument.
 * @param {readonly string[]} argv arguments after the script name
 * @returns {Options}
 */
export function parseArgs(argv) {
  /** @type {Scenario[]} */
  let scenarios = [];
  /** @type {Impl[]} */
  let references = [...REFERENCES];
  let ours = true;
  let quick = false;
  /** @type {number | undefined} */
  let rounds;
  let outDir = 'bench/results';
  /** @type {boolean | undefined} */
  let saveLatest;
  let help = false;
  let all = false;
  let profile = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--quick':
        quick = true;
        break;
      case '--no-ours':
        ours = false;
        break;
      case '--save-latest':
        saveLatest = true;
        break;
      case '--profile':
        profile = true;
        break;
      case '--vs':
        references = list(value()).map((name) => {
          if (!isOneOf(REFERENCES, name))
            throw new Error(`--vs: unknown implementation "${name}" (known: ${REFERENCES.join(', ')})`);
          return name;
        });
        break;
      case '--rounds': {
        const text = value();
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1 || n > 20)
          throw new Error(`--rounds must be an integer within 1..20, got "${text}"`);
        rounds = n;
        break;
      }
      case '--out':
        outDir = value();
        break;
      default:
        if (flag.startsWith('-')) throw new Error(`unknown option "${flag}"`);
        for (const name of list(flag)) {
          if (name === 'all') all = true;
          else if (isOneOf(SCENARIOS, name) || isOneOf(OPT_IN_SCENARIOS, name)) scenarios.push(name);
          else
            throw new Error(
              `unknown scenario "${name}" (known: ${[...SCENARIOS, ...OPT_IN_SCENARIOS].join(', ')}, all)`,
            );
        }
    }
  }
  if (all) scenarios = [...SCENARIOS];
  if (!help && scenarios.length === 0) throw new Error('name a scenario, or "all"');
  /** @type {Impl[]} */
  const impls = ours ? ['ours', ...references] : references;
  if (!help && impls.length === 0) throw new Error('nothing to run: --no-ours with an empty --vs');
  return {
    scenarios: [...new Set(scenarios)],
    impls: [...new Set(impls)],
    quick,
    rounds: rounds ?? (quick ? 1 : 3),
    outDir,
    saveLatest: saveLatest ?? (all && !quick && !profile),
    profile,
    help,
  };
}

/**
 * @param {string} arg
 * @returns {[string, string]}
 */
function splitOnce(arg) {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/**
 * @param {string} text
 * @returns {string[]}
 */
function list(text) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * @template {string} T
 * @param {readonly T[]} known
 * @param {string} name
 * @returns {name is T}
 */
function isOneOf(known, name) {
  return /** @type {readonly string[]} */ (known).includes(name);
}
