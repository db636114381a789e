/** Defaults both adapters apply (the endpoint's is DEFAULT_ENDPOINT in src/tencent/endpoints.ts, which loads no HTTP client). */
export const DEFAULTS = {
  intervalSeconds: 5,
  timeoutSeconds: 1800,
  rate: 20,
  requestTimeoutSeconds: 10,
} as const;
