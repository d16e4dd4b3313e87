import { AigovError, isUnknown, unknown } from "@aigov/core";
import { type GivenParameters, NO_PARAMETERS, refuseUndeclared } from "./input-values.ts";
import { AGENT_ROLE_ATTRIBUTES, isAdministratorAccess } from "./plan-configuration.ts";
import { aiTypeInfo } from "./ai-types.ts";
import { CONFIGURATION_CHANGE } from "./cdktf-reader.ts";
import { type PlannedSubject, normalizeResource } from "./normalize.ts";
import { plannedWithKeys } from "./planned-keys.ts";
import { ownProperty, setOwnProperty } from "./own-property.ts";
import { isRecord } from "./planned-values.ts";
import { deployedBy, type TemplateReadResult } from "./template-read-result.ts";

/** True for a parsed JSON or YAML document that is a CloudFormation template. */
export function looksLikeCloudFormation(document: unknown): boolean {
  if (!isRecord(document)) return false;
  if ("AWSTemplateFormatVersion" in document) return true;
  const resources = document.Resources;
  return (
    isRecord(resources) &&
    Object.values(resources).some(
      (resource) => isRecord(resource) && typeof resource.Type === "string" && resource.Type.startsWith("AWS::"),
    )
  );
}

// CloudFormation types that AWS Cloud Control (and so the awscc provider) does not name, with the awscc-style name the
// catalog gives them (see ai-types.ts), and the IAM credential that is a Bedrock API key for bedrock.amazonaws.com.
const TYPES_WITHOUT_CLOUD_CONTROL: Readonly<Record<string, string>> = {
  "AWS::IAM::ServiceSpecificCredential": "aws_iam_service_specific_credential",
};

/**
 * `AWS::SageMaker::EndpointConfig` → `awscc_sagemaker_endpoint_config`: the awscc provider names its types after the
 * CloudFormation types, so a template resource is judged by the awscc type's catalog entry (its kind and its aws
 * twin's normalizer). Undefined for types outside AWS (`Custom::…`, modules).
 */
export function terraformTypeOfCloudFormation(cloudFormationType: string): string | undefined {
  const named = TYPES_WITHOUT_CLOUD_CONTROL[cloudFormationType];
  if (named !== undefined) return named;
  const match = /^AWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)$/.exec(cloudFormationType);
  if (match === null) return undefined;
  return `awscc_${match[1]!.toLowerCase()}_${snakeCase(match[2]!)}`;
}

/**
 * CloudFormation property names as the awscc provider spells its attributes: `EndpointConfigName` →
 * `endpoint_config_name`, `KMSKeyId` → `kms_key_id`, `S3Uri` → `s3_uri`, `OAuth2` → `o_auth_2`.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z])([0-9])/g, "$1_$2")
    .toLowerCase();
}

// Properties whose value is a map of the user's own keys (tag keys, environment variable names): kept as written.
const MAP_PROPERTIES = new Set([
  "tags",
  "environment",
  "environment_variables",
  "variables",
  "parameters",
  "metadata",
  "hyper_parameters",
  "static_hyper_parameters",
]);

/** Properties in the provider's attribute names; nested blocks stay objects, as awscc writes them. */
function attributesOf(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((element) => attributesOf(element));
  if (!isRecord(value) || isUnknown(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = keepKeys || !/^[A-Z]/.test(key) ? key : snakeCase(key);
    setOwnProperty(out, name, attributesOf(entry, MAP_PROPERTIES.has(name) && isRecord(entry)));
  }
  return out;
}

/** What intrinsic functions can be resolved from: the template's parameters' defaults, mappings and conditions. */
class TemplateScope {
  private readonly conditions = new Map<string, boolean | undefined>();
  private readonly template: Record<string, unknown>;
  private readonly given: GivenParameters;

  constructor(template: Record<string, unknown>, given: GivenParameters) {
    this.template = template;
    this.given = given;
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const element of value) {
        const resolved = this.resolve(element);
        if (resolved !== NO_VALUE) out.push(resolved);
      }
      return out;
    }
    if (!isRecord(value) || isUnknown(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::")))
      return this.intrinsic(keys[0]!, value[keys[0]!]);
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const resolved = this.resolve(entry);
      if (resolved !== NO_VALUE) setOwnProperty(out, key, resolved);
    }
    return out;
  }

  /** A resource's `Condition`: false when the template says it is not created, undefined when that is not known. */
  condition(name: string): boolean | undefined {
    if (this.conditions.has(name)) return this.conditions.get(name);
    this.conditions.set(name, undefined); // a condition that refers to itself is not known
    const conditions = isRecord(this.template.Conditions) ? this.template.Conditions : {};
    const result = this.truth(this.resolve(ownProperty(conditions, name)));
    this.conditions.set(name, result);
    return result;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case "Ref":
        return typeof argument === "string" ? this.ref(argument) : unknown("Ref of something other than a name");
      case "Fn::Sub":
        return this.sub(argument);
      case "Fn::Join": {
        const [delimiter, list] = asList(this.resolve(argument));
        if (typeof delimiter !== "string" || !Array.isArray(list)) return firstUnknown(delimiter, list) ?? DEPLOY;
        return list.every((part) => typeof part === "string")
          ? list.join(delimiter)
          : (firstUnknown(...list) ?? DEPLOY);
      }
      case "Fn::Select": {
        const [index, list] = asList(this.resolve(argument));
        const at = typeof index === "string" ? Number(index) : index;
        if (typeof at !== "number" || !Array.isArray(list)) return firstUnknown(index, list) ?? DEPLOY;
        return Number.isInteger(at) && at >= 0 && at < list.length
          ? list[at]
          : unknown(`Fn::Select: index ${at} is outside the list`);
      }
      case "Fn::FindInMap": {
        const [map, top, second] = asList(this.resolve(argument));
        const mappings = isRecord(this.template.Mappings) ? this.template.Mappings : {};
        if (typeof map !== "string" || typeof top !== "string" || typeof second !== "string")
          return firstUnknown(map, top, second) ?? DEPLOY;
        const entry = ownProperty(mappings, map);
        const row = isRecord(entry) ? ownProperty(entry, top) : undefined;
        return isRecord(row) && Object.hasOwn(row, second)
          ? this.resolve(row[second])
          : unknown(`Fn::FindInMap: ${map}.${top}.${second} is not in Mappings`);
      }
      case "Fn::If": {
        const [conditionName, whenTrue, whenFalse] = asList(argument);
        const holds = typeof conditionName === "string" ? this.condition(conditionName) : undefined;
        if (holds === undefined)
          return unknown(`Fn::If: condition ${String(conditionName)} is known when the stack deploys`);
        return this.resolve(holds ? whenTrue : whenFalse);
      }
      case "Fn::Equals": {
        const [left, right] = asList(this.resolve(argument));
        const open = firstUnknown(left, right);
        return open ?? JSON.stringify(left) === JSON.stringify(right);
      }
      case "Fn::Not": {
        const [operand] = asList(this.resolve(argument));
        const holds = this.truth(operand);
        return holds === undefined ? DEPLOY : !holds;
      }
      case "Fn::And":
      case "Fn::Or": {
        const operands = asList(this.resolve(argument)).map((operand) => this.truth(operand));
        const decisive = name === "Fn::Or";
        if (operands.includes(decisive)) return decisive;
        return operands.includes(undefined) ? DEPLOY : !decisive;
      }
      default:
        return unknown(`${name} is resolved when the stack deploys`);
    }
  }

  private truth(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (isRecord(value) && typeof value.Condition === "string" && Object.keys(value).length === 1)
      return this.condition(value.Condition);
    return undefined;
  }

  private ref(name: string): unknown {
    if (name === "AWS::NoValue") return NO_VALUE;
    if (name.startsWith("AWS::")) return unknown(`${name} is known when the stack deploys`);
    const parameters = isRecord(this.template.Parameters) ? this.template.Parameters : {};
    const parameter = ownProperty(parameters, name);
    if (!isRecord(parameter)) return unknown(`Ref ${name}: a resource's Ref is known when the stack deploys`);
    // CloudFormation parameter values are text; a parameters file may still write a number or a bool.
    const given = this.given.texts.get(name) ?? this.given.values.get(name);
    const value = given === undefined || isUnknown(given) ? (given ?? parameter.Default) : String(given);
    if (value === undefined)
      return unknown(`parameter ${name} has no Default: its value is given when the stack deploys`);
    const type = typeof parameter.Type === "string" ? parameter.Type : "String";
    if (type.startsWith("AWS::SSM::Parameter::"))
      return unknown(`parameter ${name} is read from SSM Parameter Store when the stack deploys`);
    if (isUnknown(value)) return value;
    const isList = type === "CommaDelimitedList" || type.startsWith("List<");
    return isList && typeof value === "string" ? value.split(",").map((item) => item.trim()) : value;
  }

  private sub(argument: unknown): unknown {
    const [text, rawVariables] = Array.isArray(argument) ? argument : [argument, {}];
    const variables = isRecord(rawVariables) ? (this.resolve(rawVariables) as Record<string, unknown>) : {};
    if (typeof text !== "string") return unknown("Fn::Sub of something other than a string");
    let open: unknown;
    const out = text.replace(/\$\{([^}]*)\}/g, (whole, reference: string) => {
      if (reference.startsWith("!")) return `\${${reference.slice(1)}}`;
      const value = Object.hasOwn(variables, reference)
        ? variables[reference]
        : reference.includes(".")
          ? DEPLOY
          : this.ref(reference);
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
      open ??= isUnknown(value) ? value : DEPLOY;
      return whole;
    });
    return open ?? out;
  }
}

const STACK_SCOPE = {
  account: unknown("the account the stack deploys to"),
  region: unknown("the region the stack deploys to"),
};

/** `Ref: AWS::NoValue`: the property is left out. */
const NO_VALUE = Symbol("AWS::NoValue");
const DEPLOY = unknown("known when the stack deploys");

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function firstUnknown(...values: unknown[]): unknown {
  return values.find((value) => isUnknown(value));
}

/**
 * Reads a CloudFormation template (YAML already turned into the long form, or JSON). Nothing is deployed yet, so
 * every resource counts as introduced. Values only a deployment knows (`!GetAtt`, `AWS::Region`, a parameter without
 * a Default, an import) are Unknown, which each rule's `unknown` setting judges.
 */
export function readCloudFormationTemplate(
  template: unknown,
  file: string,
  resourceLines: ReadonlyMap<string, number> = new Map(),
  given: GivenParameters = NO_PARAMETERS,
): TemplateReadResult {
  if (!isRecord(template) || !isRecord(template.Resources))
    throw new AigovError("TEMPLATE_SHAPE", "the CloudFormation template has no `Resources` object", {
      position: { file },
      hint: "a template lists its resources under `Resources:` (see the CloudFormation template anatomy)",
    });
  const declared = isRecord(template.Parameters) ? template.Parameters : {};
  refuseUndeclared(given, (name) => Object.hasOwn(declared, name), file);
  const scope = new TemplateScope(template, given);
  const administratorRoles = rolesWithAdministratorAccess(template.Resources);
  const subjects: PlannedSubject[] = [];
  const notInspected: string[] = [];
  let resources = 0;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    resources++;
    const line = resourceLines.get(logicalId);
    const where = { file, ...(line === undefined ? {} : { line }) };
    // Fn::ForEach (the AWS::LanguageExtensions transform) makes resources only the transform can name.
    if (logicalId.startsWith("Fn::ForEach::")) {
      notInspected.push(logicalId);
      continue;
    }
    if (!isRecord(resource) || typeof resource.Type !== "string")
      throw new AigovError("TEMPLATE_SHAPE", `Resources.${logicalId} has no Type`, { position: where });
    if (resource.Type === "AWS::CloudFormation::Stack") {
      notInspected.push(logicalId);
      continue;
    }
    if (typeof resource.Condition === "string" && scope.condition(resource.Condition) === false) continue;
    const type = terraformTypeOfCloudFormation(resource.Type);
    const info = type === undefined ? undefined : aiTypeInfo(type);
    if (type === undefined || info === undefined) continue;
    const properties = scope.resolve(resource.Properties ?? {});
    const administrator = administratorRoles.has(agentRole(type, resource.Properties) ?? "");
    const subject = normalizeResource({
      type,
      address: logicalId,
      values: (isRecord(properties) ? attributesOf(properties) : {}) as Record<string, unknown>,
      change: CONFIGURATION_CHANGE,
      source: { ...where, path: `Resources.${logicalId} (${resource.Type})` },
      ...(administrator ? { related: { administrator } } : {}),
    });
    if (subject === undefined) continue;
    // Judged as its aws twin, the type the rules name for planned resources (aws_sagemaker_endpoint).
    const judged =
      subject.subject === "asset" && info.twin !== undefined ? { ...subject, type: info.twin.type } : subject;
    subjects.push(...plannedWithKeys(deployedBy(judged, STACK_SCOPE)));
  }
  return { subjects, resources, notInspected };
}

/** Logical ids of the roles whose ManagedPolicyArns name AdministratorAccess, written out or through `!Sub`. */
function rolesWithAdministratorAccess(resources: Record<string, unknown>): Set<string> {
  const roles = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource.Type !== "AWS::IAM::Role" || !isRecord(resource.Properties)) continue;
    const arns = resource.Properties.ManagedPolicyArns;
    const texts = (Array.isArray(arns) ? arns : []).map((arn) => (isRecord(arn) ? arn["Fn::Sub"] : arn));
    if (texts.some(isAdministratorAccess)) roles.add(logicalId);
  }
  return roles;
}

/** The logical id of the role an agent's properties name by `!GetAtt Role.Arn`. */
function agentRole(type: string, properties: unknown): string | undefined {
  const attribute = AGENT_ROLE_ATTRIBUTES[type];
  if (attribute === undefined || !isRecord(properties)) return undefined;
  const name = Object.keys(properties).find((key) => snakeCase(key) === attribute);
  const value = name === undefined ? undefined : properties[name];
  const getAtt = isRecord(value) ? value["Fn::GetAtt"] : undefined;
  const [logicalId, attributeName] =
    typeof getAtt === "string" ? getAtt.split(".") : Array.isArray(getAtt) ? getAtt : [];
  return attributeName === "Arn" && typeof logicalId === "string" ? logicalId : undefined;
}
