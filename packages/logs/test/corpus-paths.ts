import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = resolve(REPO_ROOT, "test/fixtures/logs");

/** The real 17,615-event CloudTrail corpus (grycap/cloudtrail-tracker), copied in with its source and licence. */
export const GRYCAP_CORPUS = resolve(FIXTURES, "cloudtrail-grycap");
