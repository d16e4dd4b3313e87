import { AZURE_CATALOGUE, AZURE_OPT_INS } from "./catalogue.ts";

/** An Azure custom role definition, as `az role definition create --role-definition @file.json` reads it. */
export interface AzureRoleDefinition {
  readonly Name: string;
  readonly IsCustom: true;
  readonly Description: string;
  readonly Actions: readonly string[];
  readonly NotActions: readonly string[];
  readonly DataActions: readonly string[];
  readonly NotDataActions: readonly string[];
  readonly AssignableScopes: readonly string[];
}

/** Replaced by the management group (or subscriptions) the role is created at: see docs/permissions/azure/README.md. */
export const ASSIGNABLE_SCOPE_PLACEHOLDER = "/providers/Microsoft.Management/managementGroups/<management-group-id>";

function role(name: string, description: string, actions: readonly string[]): AzureRoleDefinition {
  return {
    Name: name,
    IsCustom: true,
    Description: description,
    Actions: actions,
    NotActions: [],
    DataActions: [],
    NotDataActions: [],
    AssignableScopes: [ASSIGNABLE_SCOPE_PLACEHOLDER],
  };
}

/** The sweep's role: exactly the read actions of the catalogue's default calls; no write, delete, listKeys or data action. */
export function readerRole(): AzureRoleDefinition {
  return role(
    "aigov AI reader",
    "Reads Azure AI resources (Azure OpenAI / AI Services, AI Foundry, Azure ML, AI Search), their diagnostic settings and the Activity Log for aigov sweeps. No write, no key listing, no data access.",
    AZURE_CATALOGUE.permissions("scanner"),
  );
}

/**
 * The app-settings opt-in's role, granted beside the reader role only when `read_app_settings` is on. Its action
 * is not part of Reader: it returns every app setting of every web and function app in clear.
 */
export function appSettingsRole(): AzureRoleDefinition {
  return role(
    "aigov app settings reader",
    `Lets aigov read App Service and Functions app settings to find third-party AI keys (${AZURE_OPT_INS["app-settings"].policyKey}). Returns every setting in clear: grant it only where that is accepted.`,
    AZURE_CATALOGUE.permissions("scanner", "app-settings"),
  );
}
