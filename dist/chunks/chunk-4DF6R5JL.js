import { createRequire } from "node:module"; const require = createRequire(import.meta.url);
function f(n,l,d){if(n.length<=l)return{kept:[...n],leftOut:[]};let t=new Set;for(let e=0;e<n.length&&t.size<l;e++)d(n[e])&&t.add(e);for(let e=0;e<n.length&&t.size<l;e++)t.add(e);let o=[],r=[];for(let e=0;e<n.length;e++)(t.has(e)?o:r).push(n[e]);return{kept:o,leftOut:r}}export{f as a};
