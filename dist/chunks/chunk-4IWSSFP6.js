const require=process.getBuiltinModule("node:module").createRequire(import.meta.url);
var e=process.getBuiltinModule("node:module"),o=e,{createRequire:t}=e;export{o as a,t as b};
