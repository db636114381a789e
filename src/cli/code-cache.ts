import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/**
 * Runs a CommonJS-format bundle (the CLI's command line: yargs and main.ts) through V8 with a code
 * cache kept between runs. Node 22+'s own compile cache keeps only what V8 compiled before the
 * module ran, and Node 20 has none; this cache is made after a run, so it also holds every
 * function that run compiled, and the next start skips compiling them (about a third of what
 * `--help` adds to Node's own start-up).
 *
 * V8 refuses data made by another engine or for a source of another length; the file name
 * carries the rest: the bundle's content hash, the Node version and the platform. One file per
 * command, as `--help` and `wait` run different code; written once, when absent or refused.
 */
export type CodeCacheState = "used" | "absent" | "refused" | "off";

export interface ScriptRun<T> {
  readonly exports: T;
  readonly cache: CodeCacheState;
  /** Writes the cache, when it was absent or refused: after the run, so that it holds what ran. */
  save(): void;
}

export interface CodeCacheOptions {
  /** Where cache files live; undefined: no cache. */
  readonly dir: string | undefined;
  /** The bundle's content hash: files of other builds are removed when a new one is written. */
  readonly bundleHash: string;
  /** Which run this is (the command): each has its own file. */
  readonly slot: string;
}

/**
 * The script sees these, as a CommonJS module does; `__importMetaUrl` stands for
 * `import.meta.url`, which scripts/build.mjs defines as that name when it bundles the script.
 */
const WRAPPER_PARAMETERS = "exports, require, module, __importMetaUrl";

export function runScriptWithCodeCache<T>(file: URL, options: CodeCacheOptions): ScriptRun<T> {
  const source = readFileSync(file, "utf8");
  const prefix = `${options.bundleHash}-`;
  const place =
    options.dir === undefined
      ? undefined
      : {
          dir: options.dir,
          file: join(options.dir, `${prefix}${process.version}-${process.platform}-${process.arch}-${options.slot}.v8`),
        };
  let cachedData: Buffer | undefined;
  if (place !== undefined) {
    try {
      cachedData = readFileSync(place.file);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (${WRAPPER_PARAMETERS}) {${source}\n})`, {
    filename: fileURLToPath(file),
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as T };
  const require = process.getBuiltinModule("node:module").createRequire(file);
  script.runInThisContext()(module.exports, require, module, file.href);

  const cache: CodeCacheState =
    place === undefined ? "off" : !cachedData ? "absent" : script.cachedDataRejected ? "refused" : "used";
  return {
    exports: module.exports,
    cache,
    save() {
      if (place === undefined || cache === "used") return;
      try {
        mkdirSync(place.dir, { recursive: true, mode: 0o700 });
        // Another build's files are of no more use.
        for (const name of readdirSync(place.dir)) {
          if (name.endsWith(".v8") && !name.startsWith(prefix)) rmSync(join(place.dir, name), { force: true });
        }
        // Whole or not at all: a process starting meanwhile reads the old file or the new one.
        const partial = `${place.file}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, place.file);
      } catch {
        // A cache that cannot be written (read-only home, full disk) only costs speed.
      }
    },
  };
}

/**
 * `$XDG_CACHE_HOME/dts-gate`, else `~/.cache/dts-gate`: the user's own, never a shared temp
 * directory (cached code runs as whoever starts the CLI). NODE_DISABLE_COMPILE_CACHE, Node's own
 * switch, turns it off too.
 */
export function codeCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return base === undefined ? undefined : join(base, "dts-gate");
}
