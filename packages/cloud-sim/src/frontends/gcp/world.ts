/**
 * The world file's `gcp:` section: what the simulated Google Cloud organization contains (`world.schema.json`
 * beside this file checks it). Resource entries are written in the shape the real REST API returns them (the JSON
 * mapping of the protos: camelCase fields, `displayName`, `encryptionSpec.kmsKeyName`, `gceSetup.disablePublicIp`
 * …), so anything the real List/Get call returns can be put in the world and comes back unchanged. A resource's
 * `name` is its id (the last segment of its resource name); the simulator answers with the full resource name,
 * project *number* first, as Google does (`projects/100000000001/locations/us-central1/endpoints/chat`).
 * Timestamps are RFC 3339 strings.
 */

/** Labels as the world writes them; answered as the API's `labels` map. */
export type Labels = Readonly<Record<string, string>>;

/** Any further API fields a resource carries, passed through to the responses unchanged. */
export interface ApiFields {
  readonly [field: string]: unknown;
}

export interface GcpWorld {
  /**
   * Who a credential the simulator cannot name belongs to: an opaque access token it did not issue, or a user's
   * refresh token. Default `aigov-scanner@aigov-sim.iam.gserviceaccount.com`. Service-account keys name
   * themselves (the JWT's `iss`).
   */
  readonly caller?: { readonly principal: string };
  readonly organization?: GcpOrganization;
  readonly projects?: readonly GcpProject[];
}

/** An IAM policy's audit configuration, as `getIamPolicy` answers it: which Data Access logs are on. */
export interface AuditConfig {
  /** `allServices` or a service name such as `aiplatform.googleapis.com`. */
  readonly service: string;
  readonly auditLogConfigs?: readonly {
    readonly logType: "ADMIN_READ" | "DATA_READ" | "DATA_WRITE";
    readonly exemptedMembers?: readonly string[];
  }[];
}

/** What an organization, folder or project's `getIamPolicy` answers besides the generated version and etag. */
export interface IamPolicyParts {
  readonly auditConfigs?: readonly AuditConfig[];
  readonly bindings?: readonly { readonly role: string; readonly members: readonly string[] }[];
}

export interface GcpOrganization extends IamPolicyParts {
  /** The organization's numeric id (quoted). */
  readonly id: string;
  /** The organization's domain, e.g. example.com. */
  readonly displayName?: string;
  readonly directoryCustomerId?: string;
  readonly folders?: readonly GcpFolder[];
}

export interface GcpFolder extends IamPolicyParts {
  readonly displayName: string;
  /** Numeric folder id; generated from the folder's path when absent. */
  readonly id?: string;
  readonly state?: "ACTIVE" | "DELETE_REQUESTED";
  readonly folders?: readonly GcpFolder[];
}

export interface GcpProject extends IamPolicyParts {
  /** The project id (6–30 lower-case letters, digits and hyphens). */
  readonly projectId: string;
  /** The project number (quoted digits); generated from the project id when absent. */
  readonly projectNumber?: string;
  readonly displayName?: string;
  /** The folder the project sits in: a path of folder names (`Workloads/Prod`) or a folder id. Absent: under the organization (or no parent without one). */
  readonly folder?: string;
  readonly state?: "ACTIVE" | "DELETE_REQUESTED";
  readonly labels?: Labels;
  readonly createTime?: string;
  /** The services (APIs) enabled in the project, e.g. `aiplatform.googleapis.com`. */
  readonly services?: readonly string[];
  readonly apiKeys?: readonly GcpApiKey[];
  /** Vertex AI resources by location (`us-central1` …). */
  readonly vertex?: Readonly<Record<string, VertexLocation | null>>;
  /** Vertex AI Workbench instances (Notebooks API v2); `location` is a zone. */
  readonly workbenchInstances?: readonly WorkbenchInstance[];
  /** Cloud Audit Log entries (LogEntry JSON) that Cloud Logging returns for the project. */
  readonly auditLogs?: readonly ApiFields[];
}

export interface GcpApiKey extends ApiFields {
  /** The key id, the last segment of `projects/{number}/locations/global/keys/{name}`. */
  readonly name: string;
  readonly displayName?: string;
  /** The secret value: returned only by GetKeyString (which a scanner must never call). */
  readonly keyString?: string;
  readonly restrictions?: ApiFields;
  readonly createTime?: string;
  /** A deleted key: listed only with `showDeleted`. */
  readonly deleteTime?: string;
}

/** A named Vertex AI resource in the REST shape; `name` is its id. */
export interface VertexResource extends ApiFields {
  readonly name: string;
  readonly labels?: Labels;
}

export interface VertexLocation {
  readonly endpoints?: readonly VertexResource[];
  readonly models?: readonly VertexResource[];
  readonly datasets?: readonly VertexResource[];
  readonly featurestores?: readonly VertexResource[];
  readonly featureOnlineStores?: readonly VertexResource[];
  readonly indexEndpoints?: readonly VertexResource[];
  readonly tuningJobs?: readonly VertexResource[];
  readonly notebookRuntimes?: readonly VertexResource[];
  readonly reasoningEngines?: readonly VertexResource[];
}

export interface WorkbenchInstance extends ApiFields {
  readonly name: string;
  /** The zone, e.g. `us-central1-a`. */
  readonly location: string;
  readonly labels?: Labels;
}
