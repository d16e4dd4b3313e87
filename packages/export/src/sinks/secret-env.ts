import { AigovError, type Position } from "@aigov/core";

/** A secret named by the policy file, read from the environment; a missing one stops the export before anything is sent. */
export function secretFromEnv(
  env: NodeJS.ProcessEnv,
  variable: string,
  sink: string,
  position: Position | undefined,
): string {
  const value = env[variable];
  if (value === undefined || value === "") {
    throw new AigovError(
      "EXPORT_SINK_SECRET_MISSING",
      `sink '${sink}' needs the environment variable ${variable}, which is not set`,
      {
        ...(position === undefined ? {} : { position }),
        hint: `export ${variable}=… before running aigov`,
      },
    );
  }
  return value;
}
