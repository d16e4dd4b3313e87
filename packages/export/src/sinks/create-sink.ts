import { elasticSink } from "./elastic.ts";
import { fileSink } from "./file-sink.ts";
import { securityHubSink } from "./security-hub.ts";
import { sentinelSink } from "./sentinel.ts";
import type { SinkConfig } from "./sink-config.ts";
import type { Sink } from "./sink.ts";
import { splunkHecSink } from "./splunk-hec.ts";
import { syslogSink } from "./syslog-sink.ts";
import { webhookSink } from "./webhook.ts";

/** The sink a validated configuration describes; secrets are read from `env` here, never from the policy file. */
export function createSink(config: SinkConfig, env: NodeJS.ProcessEnv, stdout?: NodeJS.WritableStream): Sink {
  switch (config.type) {
    case "file":
      return fileSink(config, stdout);
    case "splunk-hec":
      return splunkHecSink(config, env);
    case "elastic":
      return elasticSink(config, env);
    case "sentinel":
      return sentinelSink(config, env);
    case "security-hub":
      return securityHubSink(config, env);
    case "syslog":
      return syslogSink(config);
    case "webhook":
      return webhookSink(config, env);
  }
}
