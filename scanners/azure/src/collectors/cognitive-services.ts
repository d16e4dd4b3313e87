import { canonicalAzureLocation, type ScanItem, unknown } from "@aigov/core";
import { armValue, azureAccountKey, diagnosticLogging, isGenerativeAiAccount } from "@aigov/normalize";
import { eachItem, listing, subjects } from "@aigov/scanner-kit";
import { type ArmJson, type AzureCollectContext, armAsset, resourceGroupOf } from "../collect-context.ts";

const ACCOUNT = "Microsoft.CognitiveServices/accounts";
const DEPLOYMENT = "Microsoft.CognitiveServices/accounts/deployments";
const PROJECT = "Microsoft.CognitiveServices/accounts/projects";
const NAMESPACE = "Microsoft.CognitiveServices";

/**
 * Cognitive Services accounts of every kind (Azure OpenAI and AI Services / Foundry are generative AI), each with
 * its diagnostic settings, model deployments and, for a Foundry resource, its projects; an account whose local
 * (key) auth is on is also a key subject. A deployment has no location of its own: it is its account's.
 */
export async function* collectCognitiveServices(ctx: AzureCollectContext): AsyncGenerator<ScanItem> {
  const locations = new Map<string, string>();
  try {
    yield* listing(
      ctx,
      "cognitiveservices",
      "Accounts_List",
      ctx.armPages(NAMESPACE, (options) => ctx.cognitive().accounts.list(options)),
      (accounts) => {
        for (const account of accounts)
          locations.set(String(account.id).toLowerCase(), canonicalAzureLocation(String(account.location ?? "")));
        return eachItem(
          accounts.filter((account) => ctx.wants(canonicalAzureLocation(String(account.location ?? "")))),
          (account) => accountItems(ctx, account),
        );
      },
    );
  } finally {
    ctx.accountsListed(locations);
  }
}

async function accountItems(ctx: AzureCollectContext, account: ArmJson): Promise<ScanItem[]> {
  const id = String(account.id);
  const name = String(account.name);
  const group = resourceGroupOf(id);
  const location = canonicalAzureLocation(String(account.location ?? ""));
  const foundry = armValue(account, "properties", "allowProjectManagement") === true;
  const [deployments, diagnostics, projects] = await Promise.all([
    ctx.children("cognitiveservices", "Deployments_List", NAMESPACE, (options) =>
      ctx.cognitive().deployments.list(group, name, options),
    ),
    ctx.attempt("insights", "DiagnosticSettings_List", async () => {
      const settings: unknown[] = [];
      for await (const setting of ctx.monitor().diagnosticSettings.list(id)) settings.push(setting);
      return diagnosticLogging(settings);
    }),
    foundry
      ? ctx.children("cognitiveservices", "Projects_List", NAMESPACE, (options) =>
          ctx.cognitive().projects.list(group, name, options),
        )
      : Promise.resolve({ ok: true as const, value: [] as ArmJson[] }),
  ]);
  const asset = armAsset(ctx, ACCOUNT, account, location, {
    logging: diagnostics.ok ? diagnostics.value.logging : unknown(diagnostics.reason),
    native: {
      ...account,
      generativeAi: isGenerativeAiAccount(account.kind),
      diagnostics: diagnostics.ok ? diagnostics.value : unknown(diagnostics.reason),
    },
  });
  const key = azureAccountKey({
    id,
    name,
    subscription: ctx.subscription,
    location,
    body: account,
    tags: asset.tags as Readonly<Record<string, string>>,
  });
  const owned = { accountId: id, accountName: name, accountKind: account.kind };
  return subjects([
    asset,
    key,
    ...(deployments.ok ? deployments.value : []).map((deployment) =>
      armAsset(ctx, DEPLOYMENT, deployment, location, { native: { ...deployment, account: owned } }),
    ),
    ...(projects.ok ? projects.value : []).map((project) =>
      armAsset(ctx, PROJECT, project, canonicalAzureLocation(String(project.location ?? location)), {
        native: { ...project, account: owned },
      }),
    ),
  ]);
}
