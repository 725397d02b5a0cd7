// The part of madge's programmatic API the import-cycle check uses (madge ships no types).
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  interface MadgeResult {
    /** Each cycle as the list of files (relative to the base directory) that import one another in a ring. */
    circular(): string[][];
    /** Each file's value imports, as resolved files. */
    obj(): Record<string, string[]>;
    /** Files whose imports madge could not resolve. */
    warnings(): { skipped: string[] };
  }
  function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
  export default madge;
}
