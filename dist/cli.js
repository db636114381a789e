#!/usr/bin/env node
import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);
import n from"node:module";n.enableCompileCache?.();var{runCli:s,processIO:o}=await import("./chunks/main-3ZJ3CFPA.js");s(process.argv.slice(2),o).then(e=>{process.exitCode=e},e=>{process.stderr.write(`dts-gate: unexpected error: ${e instanceof Error?e.message:String(e)}
`),process.exitCode=4});
