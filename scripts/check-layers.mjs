// Checks the layering of src/: no import cycle among its files, no forbidden import between
// layers, no file over 300 lines. A plain scan of import specifiers (static, re-exports, dynamic
// import() with a literal, `import type` included: a type cycle is still a cycle of design).
// Prints every problem and exits 1 when there is one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SRC = join(ROOT, "src");
const MAX_LINES = 300;

/**
 * The rooms of src/, by idea: `tencent` (the API: signing, client, credentials, STS), `core` (the
 * poll loop, phases, job record, reason), `pacing` (limiter, retry, the Redis budget), `output`
 * (JSON, text, progress, JUnit, safe text), `app` (wires them once for both adapters), the adapters
 * `cli` and `action`, and `simulator`.
 * [from room, to room, why]: an import from the first into the second is refused.
 */
const ADAPTERS = ["cli", "action"];
const FORBIDDEN = [
  ["action", "cli", "the adapters never import each other (what both need lives in src/app)"],
  ["cli", "action", "the adapters never import each other (what both need lives in src/app)"],
  ...["core", "tencent", "pacing", "output", "app", "simulator"].flatMap((room) =>
    ADAPTERS.map((adapter) => [room, adapter, "nothing below the adapters imports one"]),
  ),
  ...["core", "pacing", "output", "app", "simulator"].map((room) => [
    "tencent",
    room,
    "the API client knows nothing of the gate",
  ]),
  ...["output", "app", "simulator"].map((room) => ["core", room, "the core knows nothing of how it is wired or shown"]),
  ["core", "pacing", "the core sends through the port it is given: retries and the limiter are wired in by src/app"],
  ...["output", "app", "simulator"].map((room) => ["pacing", room, "pacing knows only the API and the core's clock"]),
  ...["app", "simulator"].map((room) => ["output", room, "output renders results, it runs nothing"]),
  ...["core", "pacing", "output", "app"].map((room) => [
    "simulator",
    room,
    "the simulator plays the API, not the gate",
  ]),
];

/** Packages and Node modules a room may not import: the core does no I/O of its own. */
const FORBIDDEN_PACKAGES = [
  [
    "core",
    /^(undici|ioredis|bottleneck|xmlbuilder2|p-retry|yargs|@actions\/|node:(fs|net|http|https|http2|tls|dns|child_process|readline|tty))/,
    "the core takes its I/O injected",
  ],
];

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The src/ file a relative specifier names (`./x.js` is `./x.ts`), or undefined. */
function resolve(from, specifier, files) {
  if (!specifier.startsWith(".")) return undefined;
  const path = normalize(join(dirname(from), specifier)).replace(/\.js$/, ".ts");
  return files.has(path) ? path : undefined;
}

const name = (path) => relative(ROOT, path);
const layerOf = (path) => relative(SRC, path).split(/[\\/]/)[0];

const files = new Set(sourceFiles(SRC));
const problems = [];
const graph = new Map();
for (const file of [...files].sort()) {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (lines > MAX_LINES) problems.push(`${name(file)}: ${lines} lines (at most ${MAX_LINES})`);
  const targets = new Set();
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    for (const [room, pattern, why] of FORBIDDEN_PACKAGES) {
      if (layerOf(file) === room && pattern.test(specifier))
        problems.push(`${name(file)} imports ${specifier}: ${why}`);
    }
    const target = resolve(file, specifier, files);
    if (target === undefined) continue;
    targets.add(target);
    for (const [from, to, why] of FORBIDDEN) {
      if (layerOf(file) === from && layerOf(target) === to) {
        problems.push(`${name(file)} imports ${name(target)}: ${why}`);
      }
    }
  }
  graph.set(file, [...targets].sort());
}

// Cycles: the strongly connected components of more than one file, or a file importing itself.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(file) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const target of graph.get(file) ?? []) {
    if (!index.has(target)) {
      connect(target);
      low.set(file, Math.min(low.get(file), low.get(target)));
    } else if (onStack.has(target)) {
      low.set(file, Math.min(low.get(file), index.get(target)));
    }
  }
  if (low.get(file) !== index.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== file);
  if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
    problems.push(`import cycle: ${component.map(name).sort().join(" <-> ")}`);
  }
}
for (const file of graph.keys()) if (!index.has(file)) connect(file);

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem${problems.length > 1 ? "s" : ""}`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-layers: ${files.size} files in src/, no cycle, no forbidden import, none over ${MAX_LINES} lines`);
