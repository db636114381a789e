// undici's Pool module on its own (see client.ts): typed as the Pool that undici's index exports.
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";

  const PoolClass: typeof Pool;
  export = PoolClass;
}
