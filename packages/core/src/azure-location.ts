/**
 * An Azure location in its canonical form. ARM, the portal, terraform and the Activity Log spell one region
 * several ways (`East US`, `EastUS`, `eastus`); ARM itself compares them case- and space-insensitively and
 * answers with the lower-case name without spaces, so that is the one form every path turns a location into
 * before anything compares it (a rule's region glob, the policy's approved regions, a deployment's location).
 */
export function canonicalAzureLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}
