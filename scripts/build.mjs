// Bundles the CLI and the Action into dist/: ESM, minified, every dependency inside.
// The CLI is four files, so that undici, bottleneck, p-retry (and the simulator, and the Redis
// client) load only when a command needs them; the Action is one file, as it always needs them all.
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const bare = (specifier) => specifier.replace(/^node:/, "");

/**
 * What each bundle imports from Node's built-ins, read off a first, unminified build: for each
 * built-in the names imported, or `whole` when a namespace or a dynamic import needs all of it.
 */
async function importsOfBuiltins(options) {
  const { outputFiles } = await build({ ...options, minify: false, write: false });
  const imports = new Map();
  const entryOf = (specifier) => {
    const name = bare(specifier);
    if (!imports.has(name)) imports.set(name, { names: new Set(), whole: false });
    return imports.get(name);
  };
  for (const { text } of outputFiles) {
    for (const [, clause, specifier] of text.matchAll(/^import (.+?) from "([^"]+)";$/gm)) {
      if (!BUILTINS.has(specifier)) continue;
      const entry = entryOf(specifier);
      if (clause.includes("*")) entry.whole = true;
      for (const part of clause.match(/\{(.*)\}/)?.[1].split(",") ?? []) entry.names.add(part.trim().split(" as ")[0]);
    }
    for (const [, specifier] of text.matchAll(/\bimport\("([^"]+)"\)/g)) {
      if (BUILTINS.has(specifier)) entryOf(specifier).whole = true;
    }
  }
  return imports;
}

/**
 * Node's built-ins without their ESM facades. Building the facade of `fs` or `util` reads every
 * export, and reading one loads its lazy parts (fs/promises, readline, worker_threads…): several
 * milliseconds of every start for nothing. Here an `import` of a built-in becomes a small module
 * that reads only the names the bundle imports (or, for a namespace import, hands over the
 * built-in itself as CommonJS). yargs' two assertions get a stand-in for node:assert, which would
 * load Node's whole assertion and diff machinery.
 */
function builtinsWithoutFacades(imports) {
  return {
    name: "builtins-without-facades",
    setup(build) {
      build.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
        /[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer)
          ? { path: fileURLToPath(new URL("../src/cli/assert-lite.ts", import.meta.url)) }
          : undefined,
      );
      build.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => {
        if (!BUILTINS.has(args.path) || args.kind === "require-call") return undefined;
        return { path: bare(args.path), namespace: "builtin" };
      });
      build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => {
        const builtin = `process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)})`;
        const entry = imports.get(args.path);
        if (!entry || entry.whole) return { contents: `module.exports = ${builtin};`, loader: "js" };
        const names = [...entry.names];
        return {
          contents: `const m = ${builtin};\nexport default m;\n${names.length ? `export const { ${names.join(", ")} } = m;\n` : ""}`,
          loader: "js",
        };
      });
    },
  };
}

const YARGS_COLUMNS = "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null";

/**
 * yargs reads process.stdout.columns when it loads, which creates Node's stdout stream (net and
 * stream machinery, milliseconds of every start) even for a run that never writes to it. The CLI
 * sets the width itself (`.wrap`), so the read becomes a getter. yargs is pinned; a version whose
 * shim differs fails the build here.
 */
const yargsColumnsOnDemand = {
  name: "yargs-columns-on-demand",
  setup(build) {
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const parts = source.split(YARGS_COLUMNS);
      if (parts.length !== 2) throw new Error(`${args.path}: expected one "${YARGS_COLUMNS}"`);
      return {
        contents: parts.join(`get stdColumns() { return ${YARGS_COLUMNS.slice("stdColumns: ".length)} }`),
        loader: "js",
      };
    });
  },
};

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  // CommonJS dependencies (@actions/core, bottleneck) call require() for Node's built-ins.
  // (process.getBuiltinModule: Node 20.16 and later.)
  banner: { js: 'const require=process.getBuiltinModule("node:module").createRequire(import.meta.url);' },
  logLevel: "warning",
};

/**
 * The CLI's files load one another by these names (src/cli/index.ts and src/gate/run.ts import
 * them), each bundled on its own.
 */
function cliFilesApart(paths) {
  return {
    name: "cli-files-apart",
    setup(build) {
      build.onResolve({ filter: /^\.\/(commands|shared-limiter)\.js$/ }, (args) => ({
        path: paths[args.path],
        external: true,
      }));
    },
  };
}

/** Bundles, with the names each bundle imports from Node's built-ins found by a first pass. */
async function bundle(options, plugins = []) {
  const imports = await importsOfBuiltins({ ...common, ...options, format: "esm", define: {}, plugins });
  await build({ ...common, ...options, plugins: [...plugins, builtinsWithoutFacades(imports), yargsColumnsOnDemand] });
}

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });
// The CLI is four files. dist/cli.js runs chunks/main.cjs (yargs and the command line: all that
// --help needs) with a V8 code cache (src/cli/code-cache.ts), so main.cjs is a script, CommonJS
// in form, that gets `import.meta.url` from cli.js. cli.js loads chunks/commands.js only when a
// command runs, and that loads chunks/shared-limiter.js (and its Redis client) only for
// --redis-url. Bundles apart rather than esbuild's code splitting, which gives every module two of
// them use a chunk of its own: more files for every start to find, read and link. The price is
// that those few modules (errors, exit codes, output) are in more than one file, so a class of one
// file is not its namesake in another: only plain values cross, and errors are told by their kind.
await bundle(
  {
    entryPoints: { commands: "src/cli/commands.ts", "shared-limiter": "src/gate/shared-limiter.ts" },
    outdir: "dist/chunks",
  },
  [cliFilesApart({ "./shared-limiter.js": "./shared-limiter.js" })],
);
await bundle({
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist/chunks",
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  banner: {},
  define: { "import.meta.url": "__importMetaUrl" },
  // yargs lays out its help with string-width and wrap-ansi: small stand-ins save their start-up
  // cost (see the files).
  alias: { "string-width": "./src/cli/string-width.ts", "wrap-ansi": "./src/cli/wrap-ansi.ts" },
});
const mainHash = createHash("sha256")
  .update(await readFile(new URL("../dist/chunks/main.cjs", import.meta.url)))
  .digest("hex")
  .slice(0, 16);
await bundle(
  {
    entryPoints: { cli: "src/cli/index.ts" },
    outdir: "dist",
    banner: {},
    define: { __DTS_GATE_MAIN_HASH__: JSON.stringify(mainHash) },
  },
  [cliFilesApart({ "./commands.js": "./chunks/commands.js" })],
);
await bundle({ entryPoints: { action: "src/action/index.ts" }, outdir: "dist" });
