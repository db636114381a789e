import { EXIT_CODES } from "../core/verdict.js";
import {
  CAM_ROLE_NAME_PATTERN,
  DEMO_SECRET_ID,
  DEMO_SECRET_KEY,
  type FaultRule,
  isScenarioName,
  isSimulatedJobId,
  parseFaultSpec,
  SCENARIO_NAMES,
  type ScenarioName,
  type SimulatorOptions,
  startSimulator,
} from "../simulator/index.js";
import type { CliIO } from "./io.js";
import { parseMigrateMs, parseStepMs, wholeNumber } from "./simulate-options.js";

/** Numbers as typed (yargs reads them as strings): an error quotes them. */
export interface SimulateArgs {
  readonly port: string;
  readonly host: string;
  readonly scenario: ScenarioName;
  readonly job?: readonly string[] | undefined;
  readonly "step-ms": string;
  readonly "migrate-ms"?: string | undefined;
  readonly seed?: string | undefined;
  readonly "secret-id"?: string | undefined;
  readonly "secret-key"?: string | undefined;
  readonly rate: string;
  readonly "clock-offset": string;
  readonly fault?: readonly string[] | undefined;
  readonly "oidc-token"?: readonly string[] | undefined;
  readonly "cvm-role"?: string | undefined;
  readonly "credential-ttl"?: string | undefined;
}

/** `--job ID=NAME[,NAME…]`: a job and the scenarios of its successive checks. */
export function parseJobSpec(spec: string): [string, ScenarioName[]] {
  const [jobId = "", names = ""] = spec.split("=", 2);
  if (!isSimulatedJobId(jobId)) {
    throw new Error(`--job ${spec}: "${jobId}" is not a job id (as dts-1ewjspuw or sync-1ewjspuw)`);
  }
  const scenarios = names.split(",").map((name) => name.trim());
  const unknown = scenarios.filter((name) => !isScenarioName(name));
  if (unknown.length > 0 || scenarios.length === 0) {
    throw new Error(`--job ${spec}: expected ID=SCENARIO[,SCENARIO…], scenario one of ${SCENARIO_NAMES.join(", ")}`);
  }
  return [jobId, scenarios as ScenarioName[]];
}

/** `--oidc-token`, `--cvm-role`, `--credential-ttl`: what STS and the metadata routes accept and issue. */
function keylessOptions(args: SimulateArgs): Pick<SimulatorOptions, "oidcTokens" | "cvmRole" | "credentialTtlSec"> {
  const oidcTokens = args["oidc-token"] ?? [];
  if (oidcTokens.some((token) => token === "")) throw new Error('--oidc-token needs a token, not ""');
  const role = args["cvm-role"];
  if (role !== undefined && !CAM_ROLE_NAME_PATTERN.test(role)) {
    throw new Error(`--cvm-role must be a CAM role name (letters, digits, _+=,.@-), not ${JSON.stringify(role)}`);
  }
  const ttl = args["credential-ttl"];
  return {
    oidcTokens,
    ...(role === undefined ? {} : { cvmRole: role }),
    ...(ttl === undefined ? {} : { credentialTtlSec: wholeNumber("credential-ttl", ttl, 43_200, 1) }),
  };
}

/** The simulator options `simulate`'s arguments say; throws on the first bad one, quoting it. */
export function simulatorOptions(args: SimulateArgs): SimulatorOptions {
  const port = wholeNumber("port", args.port, 65535);
  const stepMs = parseStepMs(args["step-ms"]);
  const migrateMs = args["migrate-ms"] === undefined ? undefined : parseMigrateMs(args["migrate-ms"]);
  const seed = args.seed === undefined ? undefined : wholeNumber("seed", args.seed, 4_294_967_295);
  // 0 would refuse every request: not a rate.
  const rate = wholeNumber("rate", args.rate, 1_000_000, 1);
  if (!/^-?\d+(\.\d+)?$/.test(args["clock-offset"])) {
    throw new Error(
      `--clock-offset must be a number of seconds (negative: behind), not ${JSON.stringify(args["clock-offset"])}`,
    );
  }
  if ((args["secret-id"] === undefined) !== (args["secret-key"] === undefined)) {
    throw new Error("give both --secret-id and --secret-key, or neither (the demo pair)");
  }
  const faults: FaultRule[] = (args.fault ?? []).map(parseFaultSpec);
  const jobs = Object.fromEntries((args.job ?? []).map(parseJobSpec));
  return {
    port,
    host: args.host,
    scenario: args.scenario,
    jobs,
    stepMs,
    ...(migrateMs === undefined ? {} : { migrateMs }),
    ...(seed === undefined ? {} : { seed }),
    rate,
    clockOffsetSec: Number(args["clock-offset"]),
    faults,
    ...keylessOptions(args),
    ...(args["secret-id"] !== undefined && args["secret-key"] !== undefined
      ? { secretId: args["secret-id"], secretKey: args["secret-key"] }
      : {}),
  };
}

/**
 * The one pair the simulator accepts, as variables to put before a command: the point of a
 * rehearsal server is that a printed command can be run again as is.
 */
function acceptedCredentials({ secretId, secretKey }: SimulatorOptions): string {
  const given = secretId !== undefined && secretKey !== undefined;
  const pair = `TENCENTCLOUD_SECRET_ID=${secretId ?? DEMO_SECRET_ID} TENCENTCLOUD_SECRET_KEY=${secretKey ?? DEMO_SECRET_KEY}`;
  return `accepts ${pair} (${given ? "given by --secret-id and --secret-key" : "the public demo pair"})`;
}

/** `dts-gate simulate`: serves until SIGINT/SIGTERM, then closes every socket and exits 0. */
export async function runSimulate(args: SimulateArgs, io: CliIO): Promise<number> {
  let options: SimulatorOptions;
  try {
    options = simulatorOptions(args);
  } catch (error) {
    io.stderr.write(`dts-gate simulate: ${(error as Error).message}\n`);
    return EXIT_CODES.usage;
  }
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  try {
    simulator = await startSimulator(options);
  } catch (error) {
    io.stderr.write(`dts-gate simulate: cannot listen on ${args.host}:${args.port}: ${(error as Error).message}\n`);
    return EXIT_CODES.usage;
  }
  io.stdout.write(`listening on ${simulator.url}\n`);
  io.stderr.write(`${acceptedCredentials(options)}\n`);
  await new Promise<void>((resolve) => {
    const unsubscribe = io.onSignal(() => {
      unsubscribe();
      resolve();
    });
  });
  await simulator.close();
  return EXIT_CODES.open;
}
