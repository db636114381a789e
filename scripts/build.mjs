// Bundles the CLI and the Action into dist/: ESM, minified, every dependency inside, as esbuild
// makes it. One build with code splitting: what only some runs need (the commands, the simulator,
// the Redis limiter) is a chunk loaded by a dynamic import(), so `--help` reads none of it.
// `node scripts/build.mjs [OUTDIR]`: dist/ by default; the tests build into a folder of their own.
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli/index.ts", action: "src/action/index.ts" },
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  // CommonJS dependencies (@actions/core, bottleneck, ioredis) call require() for Node's built-ins.
  banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  logLevel: "warning",
});
