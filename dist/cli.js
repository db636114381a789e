#!/usr/bin/env node
const require=process.getBuiltinModule("node:module").createRequire(import.meta.url);
import{a as n}from"./chunks/chunk-4IWSSFP6.js";import"./chunks/chunk-G752WQ2S.js";n.enableCompileCache?.();var{runCli:s,processIO:o}=await import("./chunks/main-665XUV5W.js");s(process.argv.slice(2),o).then(e=>{process.exitCode=e},e=>{o.stderr.write(`dts-gate: unexpected error: ${e instanceof Error?e.message:String(e)}
`),process.exitCode=4});
