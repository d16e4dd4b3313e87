import { createWorldLoader } from "./core/world-loader.ts";
import type { AwsWorld } from "./frontends/aws/world.ts";
import { awsWorldSection } from "./frontends/aws/world-section.ts";
import type { AzureWorld } from "./frontends/azure/world.ts";
import { azureWorldSection } from "./frontends/azure/world-section.ts";
import type { GcpWorld } from "./frontends/gcp/world.ts";
import { gcpWorldSection } from "./frontends/gcp/world-section.ts";

export type * from "./frontends/aws/world.ts";
export type * as Gcp from "./frontends/gcp/world.ts";
export type {
  ArmResource,
  AzureActivityEvent,
  AzureManagementGroup,
  AzurePrincipal,
  AzureResourceGroup,
  AzureSubscription,
  AzureSubscriptionState,
  AzureTenant,
  AzureWorld,
  CognitiveAccount,
  MachineLearningWorkspace,
  WebApp,
} from "./frontends/azure/world.ts";
export { DEFAULT_AZURE_TENANT } from "./frontends/azure/world.ts";

/**
 * The world file: what the simulated clouds contain. One YAML document with a section per cloud, each with its
 * own schema and index (`aws:`, `azure:` and `gcp:`), so one file can describe a whole estate.
 */
export interface World {
  /** Format version; only 1 exists. */
  readonly version?: 1;
  readonly aws?: AwsWorld;
  readonly azure?: AzureWorld;
  readonly gcp?: GcpWorld;
}

/** The sections served. */
const worlds = createWorldLoader<World>([awsWorldSection, azureWorldSection, gcpWorldSection], []);

/** Loads and checks a world file. Errors are AigovErrors (SIM_WORLD_*) with file:line:column. */
export function loadWorld(path: string): Promise<World> {
  return worlds.load(path);
}

/** Parses world YAML text; `file` names it in error messages. */
export function parseWorld(text: string, file?: string): World {
  return worlds.parse(text, file);
}

/** Checks a world built in code (tests, benchmarks); throws AigovError on a defect. */
export function checkWorld(world: unknown): World {
  return worlds.check(world);
}
