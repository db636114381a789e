// Bundles the CLI and the Action into dist/: ESM, minified, every dependency inside.
// The CLI is split so that undici, bottleneck, p-retry (and the simulator, and the Redis client)
// load only when a command needs them; the Action is one file, as it always needs them all.
import { rm } from "node:fs/promises";
import { build } from "esbuild";

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  // CommonJS dependencies (@actions/core, bottleneck) call require() for Node's built-ins.
  banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  logLevel: "warning",
};

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: "src/cli/index.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // yargs lays out help with string-width: a small stand-in saves its start-up cost (see the file).
  // (Not node:assert, which yargs also loads: ioredis' redis-errors needs the real one.)
  alias: { "string-width": "./src/cli/string-width.ts" },
});
await build({ ...common, entryPoints: { action: "src/action/index.ts" }, outdir: "dist" });
