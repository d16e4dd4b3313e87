import type { Asset, Key, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import {
  DescribeClusterCommand,
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigCommandOutput,
  DescribeInferenceComponentCommand,
  DescribeModelCommand,
  type DescribeModelCommandOutput,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceLifecycleConfigCommand,
  type DescribeNotebookInstanceLifecycleConfigCommandOutput,
  type MonitoringScheduleSummary,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  paginateListClusters,
  paginateListDomains,
  paginateListEndpoints,
  paginateListInferenceComponents,
  paginateListModelPackageGroups,
  paginateListModelPackages,
  paginateListModels,
  paginateListMonitoringSchedules,
  paginateListNotebookInstanceLifecycleConfigs,
  paginateListNotebookInstances,
  paginateListProcessingJobs,
  paginateListSpaces,
  paginateListTags,
  paginateListTrainingJobs,
  paginateListUserProfiles,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { asset, type Attempt, eachItem, fact, listing, merge, subjects, tri } from "@aigov/scanner-kit";
import { type AwsCollectContext, collected, iso, nativeOf, pageSize } from "../collect-context.ts";
import { keysInEnvironment, keysInValue } from "../config-keys.ts";

const MAX_PAGE = 100;

async function tags(ctx: AwsCollectContext, client: SageMakerClient, arn: string | undefined): Promise<Asset["tags"]> {
  if (arn === undefined) return unknown("resource has no ARN");
  const read = await ctx.attempt("sagemaker", "ListTags", async () => {
    const out: Record<string, string> = {};
    for await (const page of paginateListTags({ client, pageSize: pageSize(ctx, MAX_PAGE) }, { ResourceArn: arn })) {
      for (const tag of page.Tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
    }
    return out;
  });
  return read.ok ? read.value : unknown(read.reason);
}

function containersOf(detail: DescribeModelCommandOutput) {
  return [detail.PrimaryContainer, ...(detail.Containers ?? [])].filter((c) => c !== undefined);
}

function modelKeys(ctx: AwsCollectContext, detail: DescribeModelCommandOutput, arn: string, name: string): Key[] {
  return containersOf(detail).flatMap((container) =>
    keysInEnvironment(ctx, container.Environment, {
      resourceId: arn,
      resourceName: name,
      source: "sagemaker-model",
      resourceType: "AWS::SageMaker::Model",
    }),
  );
}

/**
 * AI keys in a notebook lifecycle configuration's scripts (run as root when the instance is created or started,
 * readable by anyone who may describe the configuration). Only the keys leave: the scripts are not kept.
 */
function lifecycleScriptKeys(
  ctx: AwsCollectContext,
  config: DescribeNotebookInstanceLifecycleConfigCommandOutput,
  name: string,
): Key[] {
  const arn =
    config.NotebookInstanceLifecycleConfigArn ??
    `arn:aws:sagemaker:${ctx.region}:${ctx.account}:notebook-instance-lifecycle-config/${name.toLowerCase()}`;
  const scripts = [
    ...(config.OnCreate ?? []).map((hook, index) => [`OnCreate[${index}]`, hook.Content] as const),
    ...(config.OnStart ?? []).map((hook, index) => [`OnStart[${index}]`, hook.Content] as const),
  ];
  return scripts.flatMap(([variable, content]) =>
    keysInValue(ctx, Buffer.from(content ?? "", "base64").toString("utf8"), {
      resourceId: arn,
      resourceName: name,
      source: "sagemaker-notebook-lifecycle",
      variable,
      resourceType: "AWS::SageMaker::NotebookInstanceLifecycleConfig",
    }),
  );
}

/** The region's monitoring schedules as far as they could be read, and the failure that cut the listing short. */
interface MonitoringSchedules {
  readonly summaries: readonly MonitoringScheduleSummary[];
  readonly failure?: unknown;
}

/**
 * One listing of the region's monitoring schedules serves both their own assets and every endpoint's monitoring
 * types (each summary names its endpoint), where a listing per endpoint cost one more call per endpoint.
 */
function monitoringSchedules(ctx: AwsCollectContext, client: SageMakerClient): Promise<MonitoringSchedules> {
  return ctx.once("sagemaker:ListMonitoringSchedules", async () => {
    const summaries: MonitoringScheduleSummary[] = [];
    try {
      for await (const page of paginateListMonitoringSchedules({ client, pageSize: pageSize(ctx, MAX_PAGE) }, {}))
        summaries.push(...(page.MonitoringScheduleSummaries ?? []));
    } catch (failure) {
      ctx.recordGap(failure, "sagemaker", "ListMonitoringSchedules");
      return { summaries, failure };
    }
    return { summaries };
  });
}

/** The region's monitoring schedules; a listing cut short keeps the schedules read before the failure (its gap is recorded). */
async function* monitoringScheduleAssets(ctx: AwsCollectContext, client: SageMakerClient): AsyncGenerator<ScanItem> {
  const { summaries } = await monitoringSchedules(ctx, client);
  yield* await eachItem(summaries, async (summary) => {
    const name = summary.MonitoringScheduleName ?? "";
    const arn =
      summary.MonitoringScheduleArn ??
      `arn:aws:sagemaker:${ctx.region}:${ctx.account}:monitoring-schedule/${name.toLowerCase()}`;
    return subjects([
      asset(ctx, {
        kind: "training-job",
        type: "AWS::SageMaker::MonitoringSchedule",
        id: arn,
        name,
        tags: await tags(ctx, client, arn),
        createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
        native: nativeOf(summary),
      }),
    ]);
  });
}

/** The monitoring types of an endpoint's schedules that run (Scheduled or Pending, not Stopped or Failed). */
async function monitoringTypes(ctx: AwsCollectContext, client: SageMakerClient, endpointName: string) {
  const { summaries, failure } = await monitoringSchedules(ctx, client);
  // A listing cut short may have missed this endpoint's schedules.
  if (failure !== undefined)
    return unknown(`${ctx.recordGap(failure, "sagemaker", "ListMonitoringSchedules").code} on ListMonitoringSchedules`);
  const types = new Set<string>();
  for (const schedule of summaries)
    if (
      schedule.EndpointName === endpointName &&
      (schedule.MonitoringScheduleStatus === "Scheduled" || schedule.MonitoringScheduleStatus === "Pending")
    )
      types.add(schedule.MonitoringType ?? "DataQuality");
  return [...types].sort();
}

/**
 * SageMaker endpoints (with their configurations), models, notebooks, domains with their user profiles and spaces,
 * recent jobs, inference components, model registries with their versions' approval status, HyperPod clusters and
 * model monitoring schedules.
 */
export async function* collectSageMaker(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(SageMakerClient, "sagemaker");
  const paging = { client, pageSize: pageSize(ctx, MAX_PAGE) };
  const since = new Date(ctx.now.getTime() - ctx.config.jobLookbackDays * 86_400_000);

  // The resource types are independent: page through them side by side.
  yield* merge([
    listing(ctx, "sagemaker", "ListEndpoints", paginateListEndpoints(paging, {}), (page) =>
      eachItem(page.Endpoints, async (summary) => {
        const name = summary.EndpointName ?? "";
        const arn =
          summary.EndpointArn ?? `arn:aws:sagemaker:${ctx.region}:${ctx.account}:endpoint/${name.toLowerCase()}`;
        const [detail, tagMap, monitoring] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeEndpoint", () =>
            client.send(new DescribeEndpointCommand({ EndpointName: name })),
          ),
          tags(ctx, client, arn),
          monitoringTypes(ctx, client, name),
        ]);
        const configName = detail.ok ? detail.value.EndpointConfigName : undefined;
        const config: Attempt<DescribeEndpointConfigCommandOutput> =
          configName === undefined
            ? {
                ok: false,
                reason: detail.ok ? "endpoint has no configuration" : detail.reason,
                code: detail.ok ? "NotAvailable" : detail.code,
              }
            : await ctx.attempt("sagemaker", "DescribeEndpointConfig", () =>
                client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
              );
        const cfg = config.ok ? config.value : undefined;
        const configTags =
          cfg?.EndpointConfigArn === undefined ? undefined : await tags(ctx, client, cfg.EndpointConfigArn);
        const endpoint = asset(ctx, {
          kind: "endpoint",
          type: "AWS::SageMaker::Endpoint",
          id: arn,
          name,
          tags: tagMap,
          cmk: tri(config, () => Boolean(cfg?.KmsKeyId)),
          logging: tri(config, () => cfg?.DataCaptureConfig?.EnableCapture === true),
          models: fact(config, () =>
            (cfg?.ProductionVariants ?? []).map((v) => v.ModelName).filter((m) => m !== undefined),
          ),
          createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
          native: nativeOf(summary, detail.ok ? detail.value : {}, {
            EndpointConfig: cfg === undefined ? undefined : nativeOf(cfg),
            // What its active monitoring schedules check: DataQuality, ModelQuality (Model Monitor), ModelBias,
            // ModelExplainability (Clarify).
            monitoringTypes: monitoring,
          }),
        });
        const configAsset =
          cfg === undefined
            ? undefined
            : asset(ctx, {
                kind: "endpoint-config",
                type: "AWS::SageMaker::EndpointConfig",
                id: cfg.EndpointConfigArn ?? `${arn}/config/${configName}`,
                name: cfg.EndpointConfigName ?? configName ?? "",
                tags: configTags ?? unknown("endpoint configuration has no ARN"),
                cmk: Boolean(cfg.KmsKeyId),
                logging: cfg.DataCaptureConfig?.EnableCapture === true,
                models: (cfg.ProductionVariants ?? []).map((v) => v.ModelName).filter((m) => m !== undefined),
                createdAt: iso(cfg.CreationTime) ?? unknown("no creation time"),
                // Flattened for rules (conditions do not reach into lists of objects).
                native: nativeOf(cfg, {
                  EndpointName: name,
                  variantInstanceCounts: (cfg.ProductionVariants ?? []).map((v) => v.InitialInstanceCount ?? 0),
                }),
              });
        return subjects([endpoint, configAsset]);
      }),
    ),
    listing(ctx, "sagemaker", "ListModels", paginateListModels(paging, {}), (page) =>
      eachItem(page.Models, async (summary) => {
        const name = summary.ModelName ?? "";
        const arn = summary.ModelArn ?? `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model/${name.toLowerCase()}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeModel", () => client.send(new DescribeModelCommand({ ModelName: name }))),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        const model = asset(ctx, {
          kind: "model",
          type: "AWS::SageMaker::Model",
          id: arn,
          name,
          tags: tagMap,
          privateNetwork: tri(detail, () => (d?.VpcConfig?.Subnets?.length ?? 0) > 0),
          outboundRestricted: tri(detail, () => d?.EnableNetworkIsolation === true),
          models: fact(detail, () =>
            [d?.PrimaryContainer, ...(d?.Containers ?? [])].flatMap((c) =>
              c === undefined ? [] : [c.ModelPackageName ?? c.Image ?? c.ModelDataUrl].filter((m) => m !== undefined),
            ),
          ),
          createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
          native: nativeOf(summary, d ?? {}, {
            EnableNetworkIsolation:
              d === undefined ? unknown(detail.ok ? "" : detail.reason) : d.EnableNetworkIsolation === true,
            // Flattened for rules: where the serving containers come from (registry package, image).
            modelPackageNames:
              d === undefined
                ? unknown(detail.ok ? "" : detail.reason)
                : containersOf(d).flatMap((c) => (c.ModelPackageName === undefined ? [] : [c.ModelPackageName])),
            containerImages:
              d === undefined
                ? unknown(detail.ok ? "" : detail.reason)
                : containersOf(d).flatMap((c) => (c.Image === undefined ? [] : [c.Image])),
            fromModelRegistry:
              d === undefined
                ? unknown(detail.ok ? "" : detail.reason)
                : containersOf(d).some((c) => c.ModelPackageName !== undefined),
          }),
        });
        return subjects([model, ...(d === undefined ? [] : modelKeys(ctx, d, arn, name))]);
      }),
    ),
    listing(ctx, "sagemaker", "ListNotebookInstances", paginateListNotebookInstances(paging, {}), (page) =>
      eachItem(page.NotebookInstances, async (summary) => {
        const name = summary.NotebookInstanceName ?? "";
        const arn =
          summary.NotebookInstanceArn ??
          `arn:aws:sagemaker:${ctx.region}:${ctx.account}:notebook-instance/${name.toLowerCase()}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeNotebookInstance", () =>
            client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "notebook",
            type: "AWS::SageMaker::NotebookInstance",
            id: arn,
            name,
            tags: tagMap,
            public: tri(detail, () => d?.DirectInternetAccess !== "Disabled"),
            rootAccess: tri(detail, () => d?.RootAccess !== "Disabled"),
            cmk: tri(detail, () => Boolean(d?.KmsKeyId)),
            privateNetwork: tri(detail, () => Boolean(d?.SubnetId)),
            // AWS's default minimum IMDS version is 1.
            imdsV1: tri(
              detail,
              () => d?.InstanceMetadataServiceConfiguration?.MinimumInstanceMetadataServiceVersion !== "2",
            ),
            platform:
              d?.PlatformIdentifier ??
              unknown(detail.ok ? "DescribeNotebookInstance names no platform" : detail.reason),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    listing(
      ctx,
      "sagemaker",
      "ListNotebookInstanceLifecycleConfigs",
      paginateListNotebookInstanceLifecycleConfigs(paging, {}),
      (page) =>
        eachItem(page.NotebookInstanceLifecycleConfigs, async (summary) => {
          const name = summary.NotebookInstanceLifecycleConfigName ?? "";
          const detail = await ctx.attempt("sagemaker", "DescribeNotebookInstanceLifecycleConfig", () =>
            client.send(
              new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: name }),
            ),
          );
          if (!detail.ok) return [];
          return subjects(lifecycleScriptKeys(ctx, detail.value, name));
        }),
    ),
    listing(ctx, "sagemaker", "ListDomains", paginateListDomains(paging, {}), (page) =>
      eachItem(page.Domains, async (summary) => {
        const id = summary.DomainId ?? "";
        const arn = summary.DomainArn ?? `arn:aws:sagemaker:${ctx.region}:${ctx.account}:domain/${id}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeDomain", () => client.send(new DescribeDomainCommand({ DomainId: id }))),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "workspace",
            type: "AWS::SageMaker::Domain",
            id: arn,
            name: summary.DomainName ?? id,
            tags: tagMap,
            public: tri(detail, () => d?.AppNetworkAccessType !== "VpcOnly"),
            privateNetwork: tri(detail, () => d?.AppNetworkAccessType === "VpcOnly"),
            ssoAuth:
              d?.AuthMode === undefined
                ? unknown(detail.ok ? "DescribeDomain names no AuthMode" : detail.reason)
                : d.AuthMode === "SSO",
            cmk: tri(detail, () => Boolean(d?.KmsKeyId)),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    listing(
      ctx,
      "sagemaker",
      "ListTrainingJobs",
      paginateListTrainingJobs(paging, { CreationTimeAfter: since }),
      (page) =>
        eachItem(page.TrainingJobSummaries, async (summary) => {
          const name = summary.TrainingJobName ?? "";
          const arn =
            summary.TrainingJobArn ??
            `arn:aws:sagemaker:${ctx.region}:${ctx.account}:training-job/${name.toLowerCase()}`;
          const [detail, tagMap] = await Promise.all([
            ctx.attempt("sagemaker", "DescribeTrainingJob", () =>
              client.send(new DescribeTrainingJobCommand({ TrainingJobName: name })),
            ),
            tags(ctx, client, arn),
          ]);
          const d = detail.ok ? detail.value : undefined;
          const job = asset(ctx, {
            kind: "training-job",
            type: "AWS::SageMaker::TrainingJob",
            id: arn,
            name,
            tags: tagMap,
            cmk: tri(
              detail,
              () => Boolean(d?.ResourceConfig?.VolumeKmsKeyId) && Boolean(d?.OutputDataConfig?.KmsKeyId),
            ),
            privateNetwork: tri(detail, () => (d?.VpcConfig?.Subnets?.length ?? 0) > 0),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}, {
              EnableNetworkIsolation:
                d === undefined ? unknown("DescribeTrainingJob failed") : d.EnableNetworkIsolation === true,
              EnableInterContainerTrafficEncryption:
                d === undefined
                  ? unknown("DescribeTrainingJob failed")
                  : d.EnableInterContainerTrafficEncryption === true,
            }),
          });
          const keys =
            d === undefined
              ? []
              : keysInEnvironment(ctx, d.Environment, {
                  resourceId: arn,
                  resourceName: name,
                  source: "sagemaker-training-job",
                  resourceType: "AWS::SageMaker::TrainingJob",
                });
          return subjects([job, ...keys]);
        }),
    ),
    listing(
      ctx,
      "sagemaker",
      "ListProcessingJobs",
      paginateListProcessingJobs(paging, { CreationTimeAfter: since }),
      (page) =>
        eachItem(page.ProcessingJobSummaries, async (summary) => {
          const name = summary.ProcessingJobName ?? "";
          const arn =
            summary.ProcessingJobArn ??
            `arn:aws:sagemaker:${ctx.region}:${ctx.account}:processing-job/${name.toLowerCase()}`;
          const [detail, tagMap] = await Promise.all([
            ctx.attempt("sagemaker", "DescribeProcessingJob", () =>
              client.send(new DescribeProcessingJobCommand({ ProcessingJobName: name })),
            ),
            tags(ctx, client, arn),
          ]);
          const d = detail.ok ? detail.value : undefined;
          const job = asset(ctx, {
            kind: "training-job",
            type: "AWS::SageMaker::ProcessingJob",
            id: arn,
            name,
            tags: tagMap,
            cmk: tri(detail, () => Boolean(d?.ProcessingResources?.ClusterConfig?.VolumeKmsKeyId)),
            privateNetwork: tri(detail, () => (d?.NetworkConfig?.VpcConfig?.Subnets?.length ?? 0) > 0),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}, {
              EnableNetworkIsolation:
                d === undefined
                  ? unknown("DescribeProcessingJob failed")
                  : d.NetworkConfig?.EnableNetworkIsolation === true,
              EnableInterContainerTrafficEncryption:
                d === undefined
                  ? unknown("DescribeProcessingJob failed")
                  : d.NetworkConfig?.EnableInterContainerTrafficEncryption === true,
            }),
          });
          const keys =
            d === undefined
              ? []
              : keysInEnvironment(ctx, d.Environment, {
                  resourceId: arn,
                  resourceName: name,
                  source: "sagemaker-processing-job",
                  resourceType: "AWS::SageMaker::ProcessingJob",
                });
          return subjects([job, ...keys]);
        }),
    ),
    listing(ctx, "sagemaker", "ListInferenceComponents", paginateListInferenceComponents(paging, {}), (page) =>
      eachItem(page.InferenceComponents, async (summary) => {
        const name = summary.InferenceComponentName ?? "";
        const arn =
          summary.InferenceComponentArn ??
          `arn:aws:sagemaker:${ctx.region}:${ctx.account}:inference-component/${name.toLowerCase()}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeInferenceComponent", () =>
            client.send(new DescribeInferenceComponentCommand({ InferenceComponentName: name })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "deployment",
            type: "AWS::SageMaker::InferenceComponent",
            id: arn,
            name,
            tags: tagMap,
            models: fact(detail, () => [d?.Specification?.ModelName].filter((m) => m !== undefined)),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    listing(ctx, "sagemaker", "ListModelPackageGroups", paginateListModelPackageGroups(paging, {}), (page) =>
      eachItem(page.ModelPackageGroupSummaryList, async (summary) => {
        const name = summary.ModelPackageGroupName ?? "";
        const arn =
          summary.ModelPackageGroupArn ??
          `arn:aws:sagemaker:${ctx.region}:${ctx.account}:model-package-group/${name.toLowerCase()}`;
        const [tagMap, versions] = await Promise.all([
          tags(ctx, client, arn),
          // The group's versions, each with its approval status: a model deployed unapproved is found by rules.
          collected(
            listing(
              ctx,
              "sagemaker",
              "ListModelPackages",
              paginateListModelPackages(paging, { ModelPackageGroupName: name }),
              (packages) =>
                eachItem(packages.ModelPackageSummaryList, async (version) =>
                  subjects([
                    asset(ctx, {
                      kind: "model",
                      type: "AWS::SageMaker::ModelPackage",
                      id: version.ModelPackageArn ?? `${arn}/${version.ModelPackageVersion ?? ""}`,
                      name: `${name}/${version.ModelPackageVersion ?? ""}`,
                      // A version is owned through its group.
                      tags: {},
                      part: true,
                      createdAt: iso(version.CreationTime) ?? unknown("no creation time"),
                      native: nativeOf(version),
                    }),
                  ]),
                ),
            ),
          ),
        ]);
        return [
          ...subjects([
            asset(ctx, {
              kind: "model-registry",
              type: "AWS::SageMaker::ModelPackageGroup",
              id: arn,
              name,
              tags: tagMap,
              createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
              native: nativeOf(summary),
            }),
          ]),
          ...versions,
        ];
      }),
    ),
    listing(ctx, "sagemaker", "ListClusters", paginateListClusters(paging, {}), (page) =>
      eachItem(page.ClusterSummaries, async (summary) => {
        const name = summary.ClusterName ?? "";
        const arn = summary.ClusterArn ?? `arn:aws:sagemaker:${ctx.region}:${ctx.account}:cluster/${name}`;
        const [detail, tagMap] = await Promise.all([
          ctx.attempt("sagemaker", "DescribeCluster", () =>
            client.send(new DescribeClusterCommand({ ClusterName: name })),
          ),
          tags(ctx, client, arn),
        ]);
        const d = detail.ok ? detail.value : undefined;
        return subjects([
          asset(ctx, {
            kind: "compute",
            type: "AWS::SageMaker::Cluster",
            id: arn,
            name,
            tags: tagMap,
            privateNetwork: tri(detail, () => (d?.VpcConfig?.Subnets?.length ?? 0) > 0),
            createdAt: iso(summary.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(summary, d ?? {}),
          }),
        ]);
      }),
    ),
    monitoringScheduleAssets(ctx, client),
    listing(ctx, "sagemaker", "ListUserProfiles", paginateListUserProfiles(paging, {}), (page) =>
      eachItem(page.UserProfiles, async (profile) => {
        const name = profile.UserProfileName ?? "";
        const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.account}:user-profile/${profile.DomainId ?? ""}/${name.toLowerCase()}`;
        return subjects([
          asset(ctx, {
            kind: "workspace",
            type: "AWS::SageMaker::UserProfile",
            id: arn,
            name,
            tags: await tags(ctx, client, arn),
            createdAt: iso(profile.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(profile),
          }),
        ]);
      }),
    ),
    listing(ctx, "sagemaker", "ListSpaces", paginateListSpaces(paging, {}), (page) =>
      eachItem(page.Spaces, async (space) => {
        const name = space.SpaceName ?? "";
        const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.account}:space/${space.DomainId ?? ""}/${name.toLowerCase()}`;
        return subjects([
          asset(ctx, {
            kind: "workspace",
            type: "AWS::SageMaker::Space",
            id: arn,
            name,
            tags: await tags(ctx, client, arn),
            createdAt: iso(space.CreationTime) ?? unknown("no creation time"),
            native: nativeOf(space),
          }),
        ]);
      }),
    ),
  ]);
}
