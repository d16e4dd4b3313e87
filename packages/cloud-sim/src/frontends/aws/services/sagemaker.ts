import { AwsError, pick, toAwsJson } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read, regionOf } from "../service.ts";
import { type ResourceTable, renderOnce, resourceTable, tagList, type WorldEntry } from "../resource-table.ts";
import type { Tags } from "../world.ts";
import { DEFAULT_TIME, type IndexedRegion, regionCache, stableId } from "../world-index.ts";

type Entry = WorldEntry;

interface SageMakerData {
  readonly endpoints: ResourceTable<Entry>;
  readonly endpointConfigs: ResourceTable<Entry>;
  readonly models: ResourceTable<Entry>;
  readonly notebookInstances: ResourceTable<Entry>;
  readonly domains: ResourceTable<Entry>;
  readonly trainingJobs: ResourceTable<Entry>;
  readonly processingJobs: ResourceTable<Entry>;
  readonly inferenceComponents: ResourceTable<Entry>;
  readonly modelPackageGroups: readonly Entry[];
  readonly modelPackages: readonly Entry[];
  readonly clusters: ResourceTable<Entry>;
  readonly monitoringSchedules: readonly Entry[];
  readonly lifecycleConfigs: ResourceTable<Entry>;
  readonly userProfiles: readonly Entry[];
  readonly spaces: readonly Entry[];
  /** Tags by lower-cased ARN (SageMaker ARNs are lower-case). */
  readonly tags: ReadonlyMap<string, Tags>;
}

/** SageMaker lower-cases resource names in ARNs. */
function arn(region: IndexedRegion, kind: string, name: string): string {
  return `arn:aws:sagemaker:${region.region}:${region.account}:${kind}/${name.toLowerCase()}`;
}

function data(region: IndexedRegion): SageMakerData {
  return regionCache(region, "sagemaker", () => {
    const world = region.raw.sagemaker ?? {};
    const tags = new Map<string, Tags>();
    const fill = <T extends Entry>(
      list: readonly T[] | undefined,
      kind: string,
      nameField: string,
      arnField: string,
      defaults: (item: T) => Record<string, unknown>,
    ): Entry[] =>
      (list ?? []).map((item) => {
        const name = String(item[nameField]);
        const filled: Entry = {
          [arnField]: arn(region, kind, name),
          CreationTime: DEFAULT_TIME,
          LastModifiedTime: item.CreationTime ?? DEFAULT_TIME,
          ...defaults(item),
          ...item,
        };
        if (item.tags !== undefined) tags.set(String(filled[arnField]).toLowerCase(), item.tags);
        return filled;
      });
    const configs = fill(
      world.endpointConfigs,
      "endpoint-config",
      "EndpointConfigName",
      "EndpointConfigArn",
      () => ({}),
    );
    const configByName = new Map(configs.map((config) => [String(config.EndpointConfigName), config]));
    const endpoints = fill(world.endpoints, "endpoint", "EndpointName", "EndpointArn", (endpoint) => {
      // DescribeEndpoint reports the variants and data capture its configuration asked for, as deployed.
      const config = configByName.get(String(endpoint.EndpointConfigName));
      const variants = (config?.ProductionVariants as readonly Record<string, unknown>[] | undefined) ?? [];
      const capture = config?.DataCaptureConfig as Record<string, unknown> | undefined;
      return {
        EndpointStatus: "InService",
        ProductionVariants: variants.map((variant) => ({
          VariantName: variant.VariantName,
          CurrentWeight: variant.InitialVariantWeight ?? 1,
          DesiredWeight: variant.InitialVariantWeight ?? 1,
          CurrentInstanceCount: variant.InitialInstanceCount ?? 1,
          DesiredInstanceCount: variant.InitialInstanceCount ?? 1,
        })),
        ...(capture === undefined
          ? {}
          : {
              DataCaptureConfig: {
                EnableCapture: capture.EnableCapture ?? true,
                CaptureStatus: capture.EnableCapture === false ? "Stopped" : "Started",
                CurrentSamplingPercentage: capture.InitialSamplingPercentage,
                DestinationS3Uri: capture.DestinationS3Uri,
                KmsKeyId: capture.KmsKeyId,
              },
            }),
      };
    });
    const models = fill(world.models, "model", "ModelName", "ModelArn", () => ({ EnableNetworkIsolation: false }));
    const notebooks = fill(
      world.notebookInstances,
      "notebook-instance",
      "NotebookInstanceName",
      "NotebookInstanceArn",
      (notebook) => ({
        NotebookInstanceStatus: "InService",
        InstanceType: "ml.t3.medium",
        DirectInternetAccess: "Enabled",
        RootAccess: "Enabled",
        Url: `${String(notebook.NotebookInstanceName).toLowerCase()}.notebook.${region.region}.sagemaker.aws`,
        RoleArn: `arn:aws:iam::${region.account}:role/service-role/AmazonSageMaker-ExecutionRole`,
        VolumeSizeInGB: 5,
        PlatformIdentifier: "notebook-al2-v2",
      }),
    );
    const domains = (world.domains ?? []).map((domain) => {
      const id = domain.DomainId ?? `d-${stableId(`${region.account}/${region.region}/${domain.DomainName}`, 12)}`;
      const filled: Entry = {
        DomainId: id,
        DomainArn: `arn:aws:sagemaker:${region.region}:${region.account}:domain/${id}`,
        Status: "InService",
        CreationTime: DEFAULT_TIME,
        LastModifiedTime: domain.CreationTime ?? DEFAULT_TIME,
        AuthMode: "IAM",
        AppNetworkAccessType: "PublicInternetOnly",
        Url: `https://${id}.studio.${region.region}.sagemaker.aws`,
        ...domain,
      };
      if (domain.tags !== undefined) tags.set(String(filled.DomainArn).toLowerCase(), domain.tags);
      return filled;
    });
    const role = `arn:aws:iam::${region.account}:role/service-role/AmazonSageMaker-ExecutionRole`;
    const trainingJobs = fill(world.trainingJobs, "training-job", "TrainingJobName", "TrainingJobArn", () => ({
      TrainingJobStatus: "Completed",
      SecondaryStatus: "Completed",
      RoleArn: role,
      AlgorithmSpecification: {
        TrainingInputMode: "File",
        TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
      },
      ResourceConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      OutputDataConfig: { S3OutputPath: `s3://sagemaker-${region.region}-${region.account}/output` },
      EnableNetworkIsolation: false,
    }));
    const processingJobs = fill(
      world.processingJobs,
      "processing-job",
      "ProcessingJobName",
      "ProcessingJobArn",
      () => ({
        ProcessingJobStatus: "Completed",
        RoleArn: role,
        AppSpecification: {
          ImageUri: "737474898029.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        },
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: "ml.m5.xlarge", VolumeSizeInGB: 30 } },
      }),
    );
    const components = fill(
      world.inferenceComponents,
      "inference-component",
      "InferenceComponentName",
      "InferenceComponentArn",
      (component) => ({
        InferenceComponentStatus: "InService",
        EndpointArn: arn(region, "endpoint", String(component.EndpointName)),
        VariantName: "AllTraffic",
      }),
    );
    const groups = fill(
      world.modelPackageGroups,
      "model-package-group",
      "ModelPackageGroupName",
      "ModelPackageGroupArn",
      () => ({ ModelPackageGroupStatus: "Completed" }),
    );
    // Model package versions count up within their group.
    const versions = new Map<string, number>();
    const modelPackages = (world.modelPackages ?? []).map((item): Entry => {
      const group = String(item.ModelPackageGroupName);
      const version = Number(item.ModelPackageVersion ?? (versions.get(group) ?? 0) + 1);
      versions.set(group, version);
      return {
        ModelPackageArn: arn(region, "model-package", `${group}/${version}`),
        ModelPackageVersion: version,
        ModelPackageStatus: "Completed",
        ModelApprovalStatus: "PendingManualApproval",
        CreationTime: DEFAULT_TIME,
        ...item,
      };
    });
    const clusters = fill(world.clusters, "cluster", "ClusterName", "ClusterArn", () => ({
      ClusterStatus: "InService",
      InstanceGroups: [
        { InstanceGroupName: "workers", InstanceType: "ml.p5.48xlarge", CurrentCount: 2, TargetCount: 2 },
      ],
      Orchestrator: { Eks: { ClusterArn: `arn:aws:eks:${region.region}:${region.account}:cluster/hyperpod` } },
    }));
    const schedules = fill(
      world.monitoringSchedules,
      "monitoring-schedule",
      "MonitoringScheduleName",
      "MonitoringScheduleArn",
      () => ({ MonitoringScheduleStatus: "Scheduled", MonitoringType: "DataQuality" }),
    );
    // Lifecycle scripts are given as text in the world; the API carries each as base64 `Content`.
    const lifecycleConfigs = fill(
      (world.notebookLifecycleConfigs ?? []).map(({ onCreate, onStart, ...item }) => ({
        ...item,
        OnCreate: onCreate === undefined ? [] : [{ Content: Buffer.from(onCreate).toString("base64") }],
        OnStart: onStart === undefined ? [] : [{ Content: Buffer.from(onStart).toString("base64") }],
      })),
      "notebook-instance-lifecycle-config",
      "NotebookInstanceLifecycleConfigName",
      "NotebookInstanceLifecycleConfigArn",
      () => ({}),
    );
    // User profiles and spaces live in a domain: their ARNs name the domain's id.
    const domainIds = new Map(domains.map((domain) => [String(domain.DomainName), String(domain.DomainId)]));
    const inDomain = (
      list: readonly (Entry & { readonly DomainName: string; readonly tags?: Tags })[] | undefined,
      kind: string,
      nameField: string,
    ) =>
      (list ?? []).map(({ DomainName, ...item }): Entry => {
        const domainId = domainIds.get(DomainName) ?? DomainName;
        const filled: Entry = {
          DomainId: domainId,
          [`${nameField.replace(/Name$/, "")}Arn`]: arn(region, kind, `${domainId}/${String(item[nameField])}`),
          Status: "InService",
          CreationTime: DEFAULT_TIME,
          LastModifiedTime: item.CreationTime ?? DEFAULT_TIME,
          ...item,
        };
        if (item.tags !== undefined)
          tags.set(String(filled[`${nameField.replace(/Name$/, "")}Arn`]).toLowerCase(), item.tags);
        return filled;
      });
    return {
      modelPackages,
      clusters: resourceTable(clusters, (c) => String(c.ClusterName)),
      monitoringSchedules: schedules,
      lifecycleConfigs: resourceTable(lifecycleConfigs, (c) => String(c.NotebookInstanceLifecycleConfigName)),
      userProfiles: inDomain(world.userProfiles, "user-profile", "UserProfileName"),
      spaces: inDomain(world.spaces, "space", "SpaceName"),
      endpoints: resourceTable(endpoints, (e) => String(e.EndpointName)),
      endpointConfigs: resourceTable(configs, (e) => String(e.EndpointConfigName)),
      models: resourceTable(models, (e) => String(e.ModelName)),
      notebookInstances: resourceTable(notebooks, (e) => String(e.NotebookInstanceName)),
      domains: resourceTable(domains, (e) => String(e.DomainId)),
      trainingJobs: resourceTable(trainingJobs, (e) => String(e.TrainingJobName)),
      processingJobs: resourceTable(processingJobs, (e) => String(e.ProcessingJobName)),
      inferenceComponents: resourceTable(components, (e) => String(e.InferenceComponentName)),
      modelPackageGroups: groups,
      tags,
    };
  });
}

/** The common List filters: NameContains, StatusEquals, CreationTimeAfter/Before (epoch seconds on the wire). */
function filtered(call: AwsCall, items: readonly Entry[], nameField: string, statusField: string): readonly Entry[] {
  const { NameContains, StatusEquals, CreationTimeAfter, CreationTimeBefore } = call.input;
  if (
    NameContains === undefined &&
    StatusEquals === undefined &&
    CreationTimeAfter === undefined &&
    CreationTimeBefore === undefined
  )
    return items;
  return items.filter((item) => {
    if (typeof NameContains === "string" && !String(item[nameField]).toLowerCase().includes(NameContains.toLowerCase()))
      return false;
    if (StatusEquals !== undefined && item[statusField] !== StatusEquals) return false;
    const created = Date.parse(String(item.CreationTime)) / 1000;
    if (typeof CreationTimeAfter === "number" && !(created > CreationTimeAfter)) return false;
    if (typeof CreationTimeBefore === "number" && !(created < CreationTimeBefore)) return false;
    return true;
  });
}

function list(
  call: AwsCall,
  items: readonly Entry[],
  outputField: string,
  summaryFields: readonly string[],
  nameField: string,
  statusField: string,
) {
  const page = listPage(filtered(call, items, nameField, statusField), {
    token: call.input.NextToken,
    maxResults: call.input.MaxResults,
    pageSize: call.pageSize,
    scope: `sagemaker:${call.operation}`,
  });
  return {
    [outputField]: page.items.map((item) => renderOnce(item, outputField, () => toAwsJson(pick(item, summaryFields)))),
    NextToken: page.nextToken,
  };
}

function describe(table: ResourceTable<Entry>, key: unknown, notFound: (key: string) => AwsError): unknown {
  const entry = table.byName.get(String(key));
  if (entry === undefined) throw notFound(String(key));
  return renderOnce(entry, "describe", () => toAwsJson(entry));
}

const validation = (message: string) => new AwsError("ValidationException", message);

export const sagemaker: AwsService = {
  name: "sagemaker",
  signingName: "sagemaker",
  protocol: "awsJson1_1",
  global: false,
  targetPrefixes: ["SageMaker"],
  throttle: { code: "ThrottlingException", status: 400 },
  operations: {
    ListEndpoints: read((call) =>
      list(
        call,
        data(regionOf(call)).endpoints.list,
        "Endpoints",
        ["EndpointName", "EndpointArn", "CreationTime", "LastModifiedTime", "EndpointStatus"],
        "EndpointName",
        "EndpointStatus",
      ),
    ),
    DescribeEndpoint: read((call) =>
      describe(data(regionOf(call)).endpoints, call.input.EndpointName, (name) =>
        validation(`Could not find endpoint "${name}".`),
      ),
    ),
    DescribeEndpointConfig: read((call) =>
      describe(data(regionOf(call)).endpointConfigs, call.input.EndpointConfigName, (name) =>
        validation(`Could not find endpoint configuration "${name}".`),
      ),
    ),
    ListModels: read((call) =>
      list(
        call,
        data(regionOf(call)).models.list,
        "Models",
        ["ModelName", "ModelArn", "CreationTime"],
        "ModelName",
        "ModelStatus",
      ),
    ),
    DescribeModel: read((call) =>
      describe(data(regionOf(call)).models, call.input.ModelName, (name) =>
        validation(`Could not find model "${arn(regionOf(call), "model", name)}".`),
      ),
    ),
    ListNotebookInstances: read((call) =>
      list(
        call,
        data(regionOf(call)).notebookInstances.list,
        "NotebookInstances",
        [
          "NotebookInstanceName",
          "NotebookInstanceArn",
          "NotebookInstanceStatus",
          "Url",
          "InstanceType",
          "CreationTime",
          "LastModifiedTime",
          "NotebookInstanceLifecycleConfigName",
          "DefaultCodeRepository",
          "AdditionalCodeRepositories",
        ],
        "NotebookInstanceName",
        "NotebookInstanceStatus",
      ),
    ),
    DescribeNotebookInstance: read((call) =>
      describe(data(regionOf(call)).notebookInstances, call.input.NotebookInstanceName, () =>
        validation("RecordNotFound"),
      ),
    ),
    ListNotebookInstanceLifecycleConfigs: read((call) =>
      list(
        call,
        data(regionOf(call)).lifecycleConfigs.list,
        "NotebookInstanceLifecycleConfigs",
        [
          "NotebookInstanceLifecycleConfigName",
          "NotebookInstanceLifecycleConfigArn",
          "CreationTime",
          "LastModifiedTime",
        ],
        "NotebookInstanceLifecycleConfigName",
        "NotebookInstanceLifecycleConfigName",
      ),
    ),
    DescribeNotebookInstanceLifecycleConfig: read((call) =>
      describe(data(regionOf(call)).lifecycleConfigs, call.input.NotebookInstanceLifecycleConfigName, () =>
        validation("Unable to describe Notebook Instance Lifecycle Config"),
      ),
    ),
    ListDomains: read((call) =>
      list(
        call,
        data(regionOf(call)).domains.list,
        "Domains",
        ["DomainArn", "DomainId", "DomainName", "Status", "CreationTime", "LastModifiedTime", "Url"],
        "DomainName",
        "Status",
      ),
    ),
    DescribeDomain: read((call) =>
      describe(
        data(regionOf(call)).domains,
        call.input.DomainId,
        (id) => new AwsError("ResourceNotFound", `Domain ${arn(regionOf(call), "domain", id)} does not exist`),
      ),
    ),
    ListTrainingJobs: read((call) =>
      list(
        call,
        data(regionOf(call)).trainingJobs.list,
        "TrainingJobSummaries",
        [
          "TrainingJobName",
          "TrainingJobArn",
          "CreationTime",
          "TrainingJobStatus",
          "TrainingEndTime",
          "LastModifiedTime",
          "SecondaryStatus",
        ],
        "TrainingJobName",
        "TrainingJobStatus",
      ),
    ),
    DescribeTrainingJob: read((call) =>
      describe(
        data(regionOf(call)).trainingJobs,
        call.input.TrainingJobName,
        () => new AwsError("ResourceNotFound", "Requested resource not found."),
      ),
    ),
    DescribeProcessingJob: read((call) =>
      describe(
        data(regionOf(call)).processingJobs,
        call.input.ProcessingJobName,
        () => new AwsError("ResourceNotFound", "Requested resource not found."),
      ),
    ),
    DescribeInferenceComponent: read((call) =>
      describe(data(regionOf(call)).inferenceComponents, call.input.InferenceComponentName, (name) =>
        validation(`Could not find inference component "${name}".`),
      ),
    ),
    ListProcessingJobs: read((call) =>
      list(
        call,
        data(regionOf(call)).processingJobs.list,
        "ProcessingJobSummaries",
        [
          "ProcessingJobName",
          "ProcessingJobArn",
          "CreationTime",
          "ProcessingJobStatus",
          "ProcessingEndTime",
          "LastModifiedTime",
          "FailureReason",
          "ExitMessage",
        ],
        "ProcessingJobName",
        "ProcessingJobStatus",
      ),
    ),
    ListInferenceComponents: read((call) => {
      const { EndpointNameEquals, VariantNameEquals } = call.input;
      const all = data(regionOf(call)).inferenceComponents.list.filter(
        (c) =>
          (EndpointNameEquals === undefined || c.EndpointName === EndpointNameEquals) &&
          (VariantNameEquals === undefined || c.VariantName === VariantNameEquals),
      );
      return list(
        call,
        all,
        "InferenceComponents",
        [
          "CreationTime",
          "InferenceComponentArn",
          "InferenceComponentName",
          "EndpointArn",
          "EndpointName",
          "VariantName",
          "LastModifiedTime",
          "InferenceComponentStatus",
        ],
        "InferenceComponentName",
        "InferenceComponentStatus",
      );
    }),
    ListModelPackageGroups: read((call) =>
      list(
        call,
        data(regionOf(call)).modelPackageGroups,
        "ModelPackageGroupSummaryList",
        [
          "ModelPackageGroupName",
          "ModelPackageGroupArn",
          "CreationTime",
          "ModelPackageGroupStatus",
          "ModelPackageGroupDescription",
        ],
        "ModelPackageGroupName",
        "ModelPackageGroupStatus",
      ),
    ),
    ListModelPackages: read((call) => {
      const group = call.input.ModelPackageGroupName;
      const packages = data(regionOf(call)).modelPackages.filter(
        (item) => group === undefined || item.ModelPackageGroupName === group,
      );
      return list(
        call,
        packages,
        "ModelPackageSummaryList",
        [
          "ModelPackageName",
          "ModelPackageGroupName",
          "ModelPackageVersion",
          "ModelPackageArn",
          "ModelPackageDescription",
          "CreationTime",
          "ModelPackageStatus",
          "ModelApprovalStatus",
        ],
        "ModelPackageGroupName",
        "ModelPackageStatus",
      );
    }),
    ListClusters: read((call) =>
      list(
        call,
        data(regionOf(call)).clusters.list,
        "ClusterSummaries",
        ["ClusterArn", "ClusterName", "CreationTime", "ClusterStatus"],
        "ClusterName",
        "ClusterStatus",
      ),
    ),
    DescribeCluster: read((call) =>
      describe(
        data(regionOf(call)).clusters,
        call.input.ClusterName,
        (name) => new AwsError("ResourceNotFound", `Cluster ${name} not found.`),
      ),
    ),
    ListMonitoringSchedules: read((call) =>
      list(
        call,
        call.input.EndpointName === undefined
          ? data(regionOf(call)).monitoringSchedules
          : data(regionOf(call)).monitoringSchedules.filter((s) => s.EndpointName === call.input.EndpointName),
        "MonitoringScheduleSummaries",
        [
          "MonitoringScheduleName",
          "MonitoringScheduleArn",
          "CreationTime",
          "LastModifiedTime",
          "MonitoringScheduleStatus",
          "EndpointName",
          "MonitoringJobDefinitionName",
          "MonitoringType",
        ],
        "MonitoringScheduleName",
        "MonitoringScheduleStatus",
      ),
    ),
    ListUserProfiles: read((call) =>
      list(
        call,
        data(regionOf(call)).userProfiles,
        "UserProfiles",
        ["DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime"],
        "UserProfileName",
        "Status",
      ),
    ),
    ListSpaces: read((call) =>
      list(
        call,
        data(regionOf(call)).spaces,
        "Spaces",
        [
          "DomainId",
          "SpaceName",
          "Status",
          "CreationTime",
          "LastModifiedTime",
          "SpaceSettingsSummary",
          "SpaceSharingSettingsSummary",
          "OwnershipSettingsSummary",
          "SpaceDisplayName",
        ],
        "SpaceName",
        "Status",
      ),
    ),
    ListTags: read((call) => {
      const resourceArn = String(call.input.ResourceArn ?? "");
      const region = regionOf(call);
      const tags = data(region).tags.get(resourceArn.toLowerCase());
      if (
        tags === undefined &&
        !resourceArn.toLowerCase().startsWith(`arn:aws:sagemaker:${region.region}:${region.account}:`)
      ) {
        throw validation(`Resource ${resourceArn} is not in this account and region`);
      }
      const page = listPage(tagList(tags), {
        token: call.input.NextToken,
        maxResults: call.input.MaxResults,
        pageSize: call.pageSize,
        scope: `sagemaker:ListTags:${resourceArn}`,
      });
      return { Tags: page.items, NextToken: page.nextToken };
    }),
  },
};
