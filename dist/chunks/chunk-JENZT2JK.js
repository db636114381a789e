import { createRequire } from "node:module"; const require = createRequire(import.meta.url);
function c(n,r){return`${n} ${r}${n===1?"":"s"}`}var t=/\r\n?|[\n\u0085\u2028\u2029]/g,e=/[\p{Cc}\p{Cf}]/gu,u=new RegExp("\\p{Cf}","gu"),s=/^[\x20-\x7e]*$/;function i(n){let r=n??"";return s.test(r)?r:r.replace(t," ").replace(e,"")}function o(n){return n.replace(u,"")}export{c as a,i as b,o as c};
