#!/usr/bin/env node
var s=process.getBuiltinModule("node:module"),o=s;o.enableCompileCache?.();var{runCli:t,processIO:n}=await import("./chunks/main.js");t(process.argv.slice(2),n).then(e=>{process.exitCode=e},e=>{n.stderr.write(`dts-gate: unexpected error: ${e instanceof Error?e.message:String(e)}
`),process.exitCode=4});
