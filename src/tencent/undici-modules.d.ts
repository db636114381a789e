// undici's Pool and Client modules on their own (see client.ts): typed as the classes that
// undici's index exports.
declare module "undici/lib/dispatcher/pool.js" {
  import type { Pool } from "undici";

  const PoolClass: typeof Pool;
  export = PoolClass;
}

declare module "undici/lib/dispatcher/client.js" {
  import type { Client } from "undici";

  const ClientClass: typeof Client;
  export = ClientClass;
}
