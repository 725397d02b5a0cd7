// @ts-check
// Every scenario the runner knows, by name.
import { broadcast } from './broadcast.mjs';
import { bundle } from './bundle.mjs';
import { cluster } from './cluster.mjs';
import { connect } from './connect.mjs';
import { echo } from './echo.mjs';
import { idle } from './idle.mjs';
import { install } from './install.mjs';
import { polling } from './polling.mjs';
import { postgres } from './postgres.mjs';
import { streams } from './streams.mjs';

/** @type {Record<import('../lib/args.mjs').Scenario, import('./types.mjs').ScenarioDef>} */
export const SCENARIO_DEFS = { idle, connect, broadcast, echo, polling, bundle, install, cluster, postgres, streams };
