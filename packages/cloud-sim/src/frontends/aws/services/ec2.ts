import { AwsError, escapeXml, isoTime } from "../protocol.ts";
import { type AwsCall, type AwsService, listPage, read, regionOf } from "../service.ts";
import { DEFAULT_TIME, regionCache, stableId } from "../world-index.ts";

interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** EC2's query filters as the SDK flattens them: `Filter.1.Name`, `Filter.1.Value.1` … */
function filtersOf(input: Record<string, unknown>): Filter[] {
  const filters: Filter[] = [];
  for (let i = 1; input[`Filter.${i}.Name`] !== undefined; i++) {
    const values: string[] = [];
    for (let j = 1; input[`Filter.${i}.Value.${j}`] !== undefined; j++)
      values.push(String(input[`Filter.${i}.Value.${j}`]));
    filters.push({ name: String(input[`Filter.${i}.Name`]), values });
  }
  return filters;
}

/** A VPC endpoint with the defaults EC2 fills in. */
interface Endpoint {
  readonly VpcEndpointId: string;
  readonly VpcEndpointType: string;
  readonly VpcId: string;
  readonly ServiceName: string;
  readonly State: string;
  readonly PrivateDnsEnabled: boolean;
  readonly CreationTimestamp: string;
  readonly OwnerId: string;
  readonly SubnetIds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

function endpointsOf(call: AwsCall): readonly Endpoint[] {
  const region = regionOf(call);
  return regionCache(region, "ec2", () =>
    (region.raw.ec2?.vpcEndpoints ?? []).map(
      (endpoint): Endpoint => ({
        VpcEndpointId:
          endpoint.VpcEndpointId ??
          `vpce-${stableId(`${region.account}/${region.region}/${endpoint.ServiceName}/${endpoint.VpcId ?? ""}`, 17)}`,
        VpcEndpointType: endpoint.VpcEndpointType ?? "Interface",
        VpcId: endpoint.VpcId ?? "vpc-0sim00000000000",
        ServiceName: endpoint.ServiceName,
        State: endpoint.State ?? "available",
        PrivateDnsEnabled: endpoint.PrivateDnsEnabled ?? true,
        CreationTimestamp: endpoint.CreationTimestamp ?? DEFAULT_TIME,
        OwnerId: region.account,
        SubnetIds: endpoint.SubnetIds ?? [],
        tags: endpoint.tags ?? {},
      }),
    ),
  );
}

const FILTERED: Readonly<Record<string, (endpoint: Endpoint) => string>> = {
  "service-name": (e) => e.ServiceName,
  "vpc-id": (e) => e.VpcId,
  "vpc-endpoint-id": (e) => e.VpcEndpointId,
  "vpc-endpoint-state": (e) => e.State.toLowerCase(),
  "vpc-endpoint-type": (e) => e.VpcEndpointType,
};

/** One endpoint as EC2's XML writes it: lower-camel element names, `…Set` lists of `<item>`. */
function endpointXml(e: Endpoint): string {
  const items = (values: readonly string[]) => values.map((v) => `<item>${escapeXml(v)}</item>`).join("");
  const tags = Object.entries(e.tags)
    .map(([key, value]) => `<item><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></item>`)
    .join("");
  return (
    `<item><vpcEndpointId>${escapeXml(e.VpcEndpointId)}</vpcEndpointId>` +
    `<vpcEndpointType>${escapeXml(e.VpcEndpointType)}</vpcEndpointType><vpcId>${escapeXml(e.VpcId)}</vpcId>` +
    `<serviceName>${escapeXml(e.ServiceName)}</serviceName><state>${escapeXml(e.State)}</state>` +
    `<privateDnsEnabled>${e.PrivateDnsEnabled}</privateDnsEnabled><subnetIdSet>${items(e.SubnetIds)}</subnetIdSet>` +
    `<creationTimestamp>${isoTime(e.CreationTimestamp)}</creationTimestamp><ownerId>${e.OwnerId}</ownerId>` +
    `<tagSet>${tags}</tagSet></item>`
  );
}

/** EC2 (its query protocol): the VPC endpoints of a region, which the scanner reads for Bedrock's private access. */
export const ec2: AwsService = {
  name: "ec2",
  signingName: "ec2",
  protocol: "ec2Query",
  global: false,
  namespace: "http://ec2.amazonaws.com/doc/2016-11-15/",
  throttle: { code: "RequestLimitExceeded", status: 503 },
  internalError: { code: "InternalError", status: 500 },
  errors: {
    accessDenied: { code: "UnauthorizedOperation", status: 403 },
    invalidToken: { code: "AuthFailure", status: 401 },
    unavailable: { code: "Unavailable", status: 503 },
    serviceDisabled: { code: "OptInRequired", status: 403 },
  },
  operations: {
    DescribeVpcEndpoints: read((call) => {
      const maxResults = call.input.MaxResults === undefined ? undefined : Number(call.input.MaxResults);
      if (maxResults !== undefined && !(maxResults >= 5 && maxResults <= 1000))
        throw new AwsError(
          "InvalidParameterValue",
          `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
        );
      const filters = filtersOf(call.input);
      for (const filter of filters)
        if (!Object.hasOwn(FILTERED, filter.name))
          throw new AwsError("InvalidParameterValue", `The filter '${filter.name}' is invalid`);
      const matching = endpointsOf(call).filter((endpoint) =>
        filters.every((filter) => filter.values.includes(FILTERED[filter.name]!(endpoint))),
      );
      const page = listPage(matching, {
        token: call.input.NextToken,
        maxResults,
        pageSize: call.pageSize,
        scope: "ec2:DescribeVpcEndpoints",
        invalidTokenCode: "InvalidPaginationToken",
      });
      return (
        `<vpcEndpointSet>${page.items.map(endpointXml).join("")}</vpcEndpointSet>` +
        (page.nextToken === undefined ? "" : `<nextToken>${escapeXml(page.nextToken)}</nextToken>`)
      );
    }),
  },
};
