import { AigovError } from "@aigov/core";

/**
 * The one HCP Terraform / Terraform Enterprise host the run task trusts with a run's access token. Every URL a
 * request names (plan JSON, callback) must be on it: otherwise a forged or misrouted request could make aigov
 * send the token, or fetch a "plan", anywhere.
 */
export interface TfcHost {
  /** `app.terraform.io`, `tfe.example.com`, `tfe.example.com:8443` (host and port as in a URL). */
  readonly host: string;
  /** Plain http only for a local test or development double of the API; never for a real host. */
  readonly allowHttp: boolean;
}

export function tfcHost(host: string, options: { allowHttp?: boolean } = {}): TfcHost {
  const trimmed = host.trim().toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(`https://${trimmed}`);
  } catch {
    throw new AigovError("RUN_TASK_BAD_HOST", `--tfc-host ${JSON.stringify(host)} is not a host name`);
  }
  if (parsed.host !== trimmed.replace(/:443$/, "") || parsed.pathname !== "/" || trimmed === "") {
    throw new AigovError(
      "RUN_TASK_BAD_HOST",
      `--tfc-host ${JSON.stringify(host)} must be a bare host[:port], e.g. app.terraform.io`,
    );
  }
  return { host: parsed.host, allowHttp: options.allowHttp === true };
}

/** The URL when it points at the trusted host over an allowed scheme; an AigovError (RUN_TASK_UNTRUSTED_URL) otherwise. */
export function trustedUrl(value: string, trusted: TfcHost, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw untrusted(`${field} is not a URL`);
  }
  const schemeOk = url.protocol === "https:" || (trusted.allowHttp && url.protocol === "http:");
  if (!schemeOk) throw untrusted(`${field} uses ${url.protocol}, only https is allowed`);
  if (url.username !== "" || url.password !== "") throw untrusted(`${field} carries credentials`);
  if (url.host !== trusted.host) {
    throw untrusted(`${field} is on ${url.host}, not on the configured HCP Terraform host ${trusted.host}`);
  }
  return url;
}

function untrusted(message: string): AigovError {
  return new AigovError("RUN_TASK_UNTRUSTED_URL", message, {
    hint: "start aigov serve run-task with --tfc-host set to your HCP Terraform / Terraform Enterprise host",
  });
}
