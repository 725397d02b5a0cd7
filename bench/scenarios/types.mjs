// @ts-check
// The shape every scenario module exports: its metrics, which implementations take part, and one trial's run.
// A scenario whose measurements are short may instead run a whole round at once (`runRound`), so that it can
// alternate the implementations measurement by measurement rather than trial by trial.

/**
 * @typedef {import('../lib/args.mjs').Impl} Impl
 * @typedef {import('../lib/stats.mjs').Target} Target
 * @typedef {{
 *   id: string,
 *   label: string,
 *   unit: string,
 *   better: 'lower' | 'higher',
 *   target?: Target,
 * }} Metric
 * @typedef {{ quick: boolean, log: (line: string) => void }} RunContext
 * @typedef {{
 *   name: import('../lib/args.mjs').Scenario,
 *   title: string,
 *   impls: Impl[],
 *   metrics: Metric[],
 *   maxRounds?: number,
 *   run: (impl: Impl, context: RunContext) => Promise<Record<string, number>>,
 *   runRound?: (impls: Impl[], context: RunContext) => Promise<Partial<Record<Impl, Record<string, number>>>>,
 * }} ScenarioDef
 */

export {};
