import type { Asset, ScanItem } from "@aigov/core";
import { unknown } from "@aigov/core";
import {
  GetApplicationCommand,
  GetIndexCommand,
  GetPluginCommand,
  GetRetrieverCommand,
  ListTagsForResourceCommand,
  paginateListApplications,
  paginateListIndices,
  paginateListPlugins,
  paginateListRetrievers,
  QBusinessClient,
} from "@aws-sdk/client-qbusiness";
import { asset, type Attempt, eachItem, listing, merge, subjects, tri } from "@aigov/scanner-kit";
import { type AwsCollectContext, collected, iso, nativeOf, pageSize } from "../collect-context.ts";

const MAX_PAGE = 100;
const SERVICE = "qbusiness";

async function tags(ctx: AwsCollectContext, client: QBusinessClient, arn: string | undefined): Promise<Asset["tags"]> {
  if (arn === undefined) return unknown("resource has no ARN");
  const read = await ctx.attempt(SERVICE, "ListTagsForResource", () =>
    client.send(new ListTagsForResourceCommand({ resourceARN: arn })),
  );
  if (!read.ok) return unknown(read.reason);
  return Object.fromEntries((read.value.tags ?? []).map((tag) => [tag.key ?? "", tag.value ?? ""]));
}

function createdAt(detail: Attempt<unknown>, value: Date | undefined): Asset["createdAt"] {
  return iso(value) ?? unknown(detail.ok ? "no creation time" : detail.reason);
}

/**
 * Amazon Q Business: each application (an assistant over the company's data), with its indexes, retrievers and
 * plugins (the actions it takes in third-party systems); each part carries tags of its own, as in CloudFormation.
 */
export async function* collectQBusiness(ctx: AwsCollectContext): AsyncGenerator<ScanItem> {
  const client = ctx.client(QBusinessClient, SERVICE);
  const paging = { client, pageSize: pageSize(ctx, MAX_PAGE) };
  yield* listing(ctx, SERVICE, "ListApplications", paginateListApplications(paging, {}), (page) =>
    eachItem(page.applications, async (summary) => {
      const applicationId = summary.applicationId ?? "";
      const detail = await ctx.attempt(SERVICE, "GetApplication", () =>
        client.send(new GetApplicationCommand({ applicationId })),
      );
      const app = detail.ok ? detail.value : undefined;
      const arn = app?.applicationArn ?? `arn:aws:qbusiness:${ctx.region}:${ctx.account}:application/${applicationId}`;
      const name = summary.displayName ?? applicationId;
      const application = asset(ctx, {
        kind: "application",
        type: "AWS::QBusiness::Application",
        id: arn,
        name,
        tags: await tags(ctx, client, arn),
        cmk: tri(detail, () => Boolean(app?.encryptionConfiguration?.kmsKeyId)),
        createdAt: createdAt(detail, app?.createdAt ?? summary.createdAt),
        native: nativeOf(summary, app ?? {}),
      });
      const parts: AsyncIterable<ScanItem>[] = [
        listing(ctx, SERVICE, "ListIndices", paginateListIndices(paging, { applicationId }), (indices) =>
          eachItem(indices.indices, async (index) => {
            const got = await ctx.attempt(SERVICE, "GetIndex", () =>
              client.send(new GetIndexCommand({ applicationId, indexId: index.indexId })),
            );
            const indexDetail = got.ok ? got.value : undefined;
            return subjects([
              asset(ctx, {
                kind: "index",
                type: "AWS::QBusiness::Index",
                id: indexDetail?.indexArn ?? `${arn}/index/${index.indexId ?? ""}`,
                name: `${name}/${index.displayName ?? index.indexId ?? ""}`,
                tags: await tags(ctx, client, indexDetail?.indexArn),
                createdAt: createdAt(got, index.createdAt),
                native: nativeOf(index, indexDetail ?? {}, { applicationArn: arn }),
              }),
            ]);
          }),
        ),
        listing(ctx, SERVICE, "ListRetrievers", paginateListRetrievers(paging, { applicationId }), (retrievers) =>
          eachItem(retrievers.retrievers, async (retriever) => {
            const got = await ctx.attempt(SERVICE, "GetRetriever", () =>
              client.send(new GetRetrieverCommand({ applicationId, retrieverId: retriever.retrieverId })),
            );
            const retrieverDetail = got.ok ? got.value : undefined;
            return subjects([
              asset(ctx, {
                kind: "index",
                type: "AWS::QBusiness::Retriever",
                id: retrieverDetail?.retrieverArn ?? `${arn}/retriever/${retriever.retrieverId ?? ""}`,
                name: `${name}/${retriever.displayName ?? retriever.retrieverId ?? ""}`,
                tags: await tags(ctx, client, retrieverDetail?.retrieverArn),
                createdAt: createdAt(got, retrieverDetail?.createdAt),
                native: nativeOf(retriever, retrieverDetail ?? {}, { applicationArn: arn }),
              }),
            ]);
          }),
        ),
        listing(ctx, SERVICE, "ListPlugins", paginateListPlugins(paging, { applicationId }), (plugins) =>
          eachItem(plugins.plugins, async (plugin) => {
            const got = await ctx.attempt(SERVICE, "GetPlugin", () =>
              client.send(new GetPluginCommand({ applicationId, pluginId: plugin.pluginId })),
            );
            const pluginDetail = got.ok ? got.value : undefined;
            const auth = pluginDetail?.authConfiguration;
            return subjects([
              asset(ctx, {
                kind: "tool",
                type: "AWS::QBusiness::Plugin",
                id: pluginDetail?.pluginArn ?? `${arn}/plugin/${plugin.pluginId ?? ""}`,
                name: `${name}/${plugin.displayName ?? plugin.pluginId ?? ""}`,
                tags: await tags(ctx, client, pluginDetail?.pluginArn),
                // A plugin acts in a third-party system (Jira, Salesforce, a custom API) on the user's behalf.
                reach: "internet",
                // Basic auth stores a user name and password for the third party in Secrets Manager.
                keyAuth: tri(got, () => auth?.basicAuthConfiguration !== undefined),
                createdAt: createdAt(got, plugin.createdAt),
                native: nativeOf(plugin, pluginDetail ?? {}, { applicationArn: arn }),
              }),
            ]);
          }),
        ),
      ];
      return [...subjects([application]), ...(await collected(merge(parts)))];
    }),
  );
}
