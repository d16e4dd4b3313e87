import { operation } from "@smithy/core/schema";
import { getSmithyContext, HttpResponse, toEndpointV1 } from "@smithy/core/transport";

// The SDK's schema-based serializer and deserializer middleware (@smithy/core, schema/middleware), as aigov gives
// them to every schema-based client (aws-clients.ts, `withFastConfig`). They differ from the SDK's in one thing: the
// SDK hands its protocol `{ ...config, ...context }`, a copy of the client's whole configuration (some 90
// properties) and the request's context, twice per request, 9 % of everything a sweep allocates. Here the protocol
// gets an object whose prototype is the configuration and whose own properties are the context's: it reads the same
// values (the context's over the configuration's; the SDK's protocols only read it, none copies or enumerates it),
// and what a protocol might write stays on the request's object, as in the copy.

type Config = { readonly protocol: Protocol; readonly endpoint?: unknown };
type Context = Record<string, unknown> & { endpointV2?: unknown; logger?: { warn?(message: string): void } };
interface Protocol {
  serializeRequest(operation: unknown, input: unknown, context: object): Promise<unknown>;
  deserializeResponse(operation: unknown, context: object, response: unknown): Promise<unknown>;
  setSerdeContext(config: object): void;
}
type Handler = (args: { input: unknown; request?: unknown }) => Promise<{ response: unknown; output?: unknown }>;
type OperationSchema = readonly [unknown, string, string, unknown, unknown, unknown] | undefined;

/** The request's context over the client's configuration: what the SDK's `{ ...config, ...context }` reads as. */
function over(config: Config, context: Context, extra?: object): object {
  const merged = Object.assign(Object.create(config) as object, context);
  return extra === undefined ? merged : Object.assign(merged, extra);
}

function operationOf(context: Context) {
  const [, ns, n, t, i, o] = (getSmithyContext(context as never).operationSchema ?? []) as NonNullable<OperationSchema>;
  return operation(ns, n, t as never, i as never, o as never);
}

const serializer = (config: Config) => (next: Handler, context: Context) => async (args: { input: unknown }) => {
  const endpoint = context.endpointV2 ? async () => toEndpointV1(context.endpointV2 as never) : config.endpoint;
  const request = await config.protocol.serializeRequest(
    operationOf(context),
    args.input,
    over(config, context, {
      endpoint,
    }),
  );
  return next({ ...args, request });
};

const findHeader = (pattern: RegExp, headers: [string, string][]) => headers.find(([k]) => pattern.test(k))?.[1];

const deserializer = (config: Config) => (next: Handler, context: Context) => async (args: { input: unknown }) => {
  const { response } = await next(args);
  try {
    const output = await config.protocol.deserializeResponse(operationOf(context), over(config, context), response);
    return { response, output };
  } catch (caught) {
    // As the SDK's: the raw response on the error, and the request's metadata if the protocol gave none.
    const error = caught as Error & { $metadata?: unknown; $responseBodyText?: string; $response?: { body?: unknown } };
    Object.defineProperty(error, "$response", { value: response, enumerable: false, writable: false });
    if (!("$metadata" in error)) {
      const hint =
        "Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.";
      try {
        error.message += `\n  ${hint}`;
      } catch {
        context.logger?.warn?.(hint);
      }
      if (error.$responseBodyText !== undefined && error.$response) error.$response.body = error.$responseBodyText;
      if (HttpResponse.isInstance(response)) {
        const { headers = {}, statusCode } = response as { headers?: Record<string, string>; statusCode: number };
        const entries = Object.entries(headers);
        error.$metadata = {
          httpStatusCode: statusCode,
          requestId: findHeader(/^x-[\w-]+-request-?id$/, entries),
          extendedRequestId: findHeader(/^x-[\w-]+-id-2$/, entries),
          cfId: findHeader(/^x-[\w-]+-cf-id$/, entries),
        };
      }
    }
    throw error;
  }
};

/** In place of the SDK's getSchemaSerdePlugin: the same two middleware names, steps and tags, replacing the SDK's. */
export function sweepSchemaSerdePlugin(config: Config) {
  return {
    applyToStack(stack: { add(middleware: unknown, options: object): void }) {
      stack.add(serializer(config), {
        name: "serializerMiddleware",
        step: "serialize",
        tags: ["SERIALIZER"],
        override: true,
      });
      stack.add(deserializer(config), {
        name: "deserializerMiddleware",
        step: "deserialize",
        tags: ["DESERIALIZER"],
        override: true,
      });
      config.protocol.setSerdeContext(config);
    },
  };
}
