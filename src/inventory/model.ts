// The inventory: the one model between sources and rules. Terraform, app configs, the live
// account and snapshots all fill it; rules read only it. Values may be unknown (see
// terraform/values.ts): a rule that needs an unknown value stays silent.

import type { Range } from "../hcl/ast.js";
import type { Value } from "../terraform/values.js";
import { LiteralStrings } from "./literal-strings.js";

export type { LiteralString } from "./literal-strings.js";

/**
 * Where an entity or a value comes from: a file range, an AWS resource, or both. Plain data
 * (no syntax tree): origins outlive the trees the inventory was built from.
 *
 * A value's origin is where the value is written — the caller's `window = 0` for a module
 * argument `recovery_window_in_days = var.window`, a tfvars line, a local — and `flow` lists
 * the places it passed through to where it is used (see src/terraform/trace.ts).
 */
export interface Origin {
  file?: {
    path: string;
    /** The argument, object item, tuple element or block. */
    range: Range;
    /** For a value: its own expression inside `range` (what a fix edits). */
    valueRange?: Range;
  };
  aws?: { account?: string; region?: string; arn?: string };
  /** The Terraform address (`module.x.aws_secretsmanager_secret.y["k"]`), where there is one. */
  address?: string;
  /**
   * The address of the Terraform module instance whose file holds `file` ("" for a root
   * module), when known: identities take `address` relative to it, so one place written in a
   * shared module has one identity whoever calls the module.
   */
  module?: string;
  /** What inside the entity, when the entity has parts: a tag key (`tags.SymEnv`), a policy statement (`Statement[2]`). */
  part?: string;
  /**
   * For a value used elsewhere than where it is written: the places it passed through, in
   * order (module call argument, variable, local, for_each item…); the last is the use.
   */
  flow?: FlowPlace[];
}

/** A place a value passed through (see Origin.flow). */
export interface FlowPlace {
  /** Absent for a value given on the command line (`--var`). */
  file?: { path: string; range: Range };
  /** What happens there, for people ("passed to `module.db` here"). Never a value. */
  message: string;
}

/** A value with the place it was set (for messages that name both values and where each is set). */
export interface Located<V = Value> {
  value: V;
  origin?: Origin;
}

/** The shape of a secret's value, never the value itself. */
export type ValueShape =
  | { kind: "json-object"; keys: string[]; origin?: Origin }
  | { kind: "json-other"; origin?: Origin } // JSON, but not an object (array, number…)
  | { kind: "plain"; origin?: Origin }
  | { kind: "binary"; origin?: Origin }
  | { kind: "unknown"; origin?: Origin };

/** How a secret version's value is set in code. */
export type ValueSource =
  | "literal" // a literal written in the configuration: lands in git and state
  | "variable"
  | "data"
  | "resource" // e.g. random_password
  | "ephemeral"
  | "write-only" // secret_string_wo
  | "unknown";

export interface SecretVersion {
  origin: Origin;
  /** Which argument holds the value: secret_string, secret_binary, secret_string_wo. */
  argument: string;
  source: ValueSource;
  shape: ValueShape;
}

export interface Replica {
  region: Located;
  kmsKeyId: Located;
  origin?: Origin;
}

export interface Secret {
  /** Stable id within the inventory: the Terraform address, or the ARN for live secrets. */
  id: string;
  name: Located;
  /** Partly known in code: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-??????`. */
  arn: Value;
  /**
   * The account it lives in when known though the ARN's is not: in code, the provider's only
   * `allowed_account_ids`. (Live, the ARN says it.)
   */
  account?: string;
  region: Located;
  /** The tags as an object value (may be unknown, or an object with unknown values). */
  tags: Located;
  /** Where each tag key is set, when known. */
  tagOrigins: Map<string, Origin>;
  kmsKeyId: Located;
  recoveryWindowInDays: Located;
  versions: SecretVersion[];
  /** The value shape: from versions in code, or from `--read-values` live. */
  shape: ValueShape;
  resourcePolicy?: PolicyDocument;
  replicas: Replica[];
  /** Whether automatic rotation is on; undefined when it cannot be known. */
  rotationEnabled?: boolean;
  /** The rotation schedule, when rotation is configured (code or live). */
  rotationRules?: RotationRules;
  /** What the account says of the secret's life (live only; ISO 8601 times). */
  dates?: SecretDates;
  origin: Origin;
}

/** A rotation schedule: `rotation_rules` in code, `RotationRules` live. */
export interface RotationRules {
  /** `automatically_after_days` / `AutomaticallyAfterDays`. */
  automaticallyAfterDays?: Located;
  /** `schedule_expression` / `ScheduleExpression`: `rate(10 days)`, `cron(0 8 1 * ? *)`. */
  scheduleExpression?: Located;
  /** `duration` / `Duration`: the rotation window (`3h`). */
  duration?: Located;
  /** The rotation resource or block (code), or the secret (live). */
  origin: Origin;
}

/** The dates `ListSecrets` returns (ISO 8601), each absent when the service leaves it out. */
export interface SecretDates {
  created?: string;
  lastChanged?: string;
  /** The day the secret was last read in its region (the service truncates it to the day). */
  lastAccessed?: string;
  /** The last successful rotation. */
  lastRotated?: string;
  /** The next scheduled rotation (absent when rotation is off). */
  nextRotation?: string;
}

// ---------------------------------------------------------------- IAM

export interface PolicyStatement {
  sid?: string;
  effect: Located;
  /** Each list is a Value: a list of (partly known) strings, or unknown as a whole. */
  actions?: Located;
  notActions?: Located;
  resources?: Located;
  notResources?: Located;
  /** Principal / NotPrincipal as written: `"*"` or `{ AWS = [...] }`. */
  principals?: Located;
  notPrincipals?: Located;
  /** `{ StringEquals = { "secretsmanager:ResourceTag/SymEnv" = "prod" } }`, or unknown. */
  condition?: Located;
  origin: Origin;
}

export interface PolicyDocument {
  statements: PolicyStatement[];
  /** False when the statement list itself could not be known (rules then say nothing). */
  complete: boolean;
  /** The document's `Version` (`2012-10-17` makes `${…}` policy variables), when set. */
  version?: Value;
  /** Why AWS would reject the document as written (JSON that does not parse…), each at its place. */
  problems?: Array<{ message: string; origin: Origin }>;
  origin: Origin;
}

/** An IAM role, user or group; or an IAM Identity Center permission set (its holders are the users assigned it). */
export type PrincipalKind = "role" | "user" | "group" | "permission-set";

export interface IamPrincipal {
  id: string;
  kind: PrincipalKind;
  name: Located;
  /** Its ARN, partly known in code (`arn:aws:iam::<account>:role/path/name`); absent when not known at all. */
  arn?: Value;
  origin: Origin;
}

export interface IamPolicy {
  id: string;
  /** managed: aws_iam_policy; inline: aws_iam_role_policy & co; document: a policy document
   * data source not (yet) attached; module: from a built-in model of a well-known module;
   * aws-managed: an AWS managed policy attached by ARN (its document from the shipped table or
   * the account; its origin and its statements' are the place that attaches it). */
  kind: "managed" | "inline" | "document" | "module" | "live" | "aws-managed";
  name: Located;
  document: PolicyDocument;
  /** Principal ids (see IamPrincipal) this policy is attached to. */
  attachedTo: string[];
  origin: Origin;
}

// ---------------------------------------------------------------- Sym

export interface SymSecret {
  id: string;
  path: Located;
  /** The secret `path` refers to, when it is a reference (`aws_secretsmanager_secret.x.name`). */
  secretRef?: string;
  sourceId: Located;
  /** `settings.json_key`, when set. */
  jsonKey?: Located;
  origin: Origin;
}

export interface SymObject {
  id: string;
  kind: "sym_secrets" | "sym_integration" | "sym_target" | "sym_strategy" | "sym_flow" | "sym_environment" | "sym_runtime";
  /** `type` where the resource has one (integration type, target type, secrets source type). */
  type: Located;
  /** Every argument, evaluated (settings included). */
  attributes: Map<string, Located>;
  origin: Origin;
}

/** A policy that grants Sym access to secrets carrying a tag (`SymEnv` = environment). */
export interface SymAccessPolicy {
  id: string;
  tagName: string;
  environment: Located;
  /** Where it comes from: the built-in model of a module call, or a policy with the condition. */
  from: "secretsmgr-addon" | "policy";
  origin: Origin;
}

// ---------------------------------------------------------------- Apono, Flyte, Mage

export interface AponoSecretRef {
  id: string;
  /**
   * `apono_integration.aws_secret` or `apono_resource_integration.secret_store_config.aws`, or
   * config; `tag`: a live secret tagged for the Apono connector (a near-miss key or value of
   * `apono-connector-read`), found by an audit.
   */
  via: "apono_integration" | "apono_resource_integration" | "config" | "tag";
  /** The secret id as written: a name or an ARN (may be partly known). */
  secretId: Located;
  secretRef?: string;
  /** The region the Apono connector reads it in, when known. */
  region: Located;
  origin: Origin;
}

export interface FlyteSecretRequest {
  id: string;
  /** Each part's origin is the argument as written in the call (`group=SECRET_GROUP`). */
  group: Located;
  key: Located;
  groupVersion?: Located;
  /** The `MountType` member named (`FILE`, `ENV_VAR`, `ANY`), or unknown. */
  mountRequirement?: Located;
  /**
   * Where a part's text is written when it is not in the call itself (a module constant
   * `SECRET_GROUP = "arn:…:secret:"`): the first string literal it is built from.
   */
  definedAt?: Partial<Record<"group" | "key" | "groupVersion", Origin>>;
  /** The whole call, from the callee (`flytekit.Secret`) to its closing parenthesis. */
  origin: Origin;
  /** `flyte` for Flyte 2's `flyte.Secret` (no `group_version`; `mount` is a path, not a MountType); flytekit's otherwise. */
  sdk?: "flyte";
}

export interface MageSecretRef {
  id: string;
  function: "aws_secret_var" | "env_var" | "mage_secret_var";
  /** The argument: known when it is a string literal (or literals joined by `~`/`+`); its origin is the argument's text. */
  name: Located;
  /** The io_config profile (`default`, `dev`…); "" for a key at the top level of the file. */
  profile: string;
  /** The setting under the profile whose value holds the call (`POSTGRES_PASSWORD`; nested keys joined by dots). */
  setting?: string;
  /** The region Mage's Secrets Manager client uses (`AWS_REGION_NAME`, then `AWS_DEFAULT_REGION`), when a scanned `.env` sets it. */
  region: Located;
  /** The call, from the function name to the closing parenthesis. */
  origin: Origin;
}

/** A setting of a Mage `io_config.yml` profile: how its value is written, never the value. */
export interface MageSetting {
  id: string;
  profile: string;
  /** The key under the profile (nested keys joined by dots). */
  key: string;
  /** `literal`: text as written; `template`: holds `{{ … }}`; `empty`: no value; `other`: a list or mapping. */
  kind: "literal" | "template" | "empty" | "other";
  /** The value's range. */
  origin: Origin;
}

/**
 * A literal AWS access key (an `AKIA…`/`ASIA…` id with a 40-character secret access key beside
 * it) written in an app configuration. Never holds either value.
 */
export interface HardcodedCredential {
  id: string;
  /** `long-term` for `AKIA…` (an IAM user's key), `temporary` for `ASIA…` (STS). */
  kind: "long-term" | "temporary";
  /** The file it is in: a Mage `io_config.yml`, a `.env` file, a docker-compose file. */
  fileKind: "io_config" | "dotenv" | "docker-compose";
  /** Where the access key id is written. */
  origin: Origin;
  /** Where the secret access key beside it is written. */
  secretOrigin: Origin;
}

// ---------------------------------------------------------------- the whole

export interface UndefinedReference {
  /** The reference as written: `sym_strategy.aptible`, `var.x`, `module.y`. */
  reference: string;
  kind: "resource" | "data" | "module" | "variable" | "local";
  /** The module directory (relative to the scan root) whose configuration holds it. */
  module: string;
  origin: Origin;
}

export interface Inventory {
  secrets: Secret[];
  iamPolicies: IamPolicy[];
  iamPrincipals: IamPrincipal[];
  symSecrets: SymSecret[];
  symObjects: SymObject[];
  symAccessPolicies: SymAccessPolicy[];
  aponoSecretRefs: AponoSecretRef[];
  flyteSecretRequests: FlyteSecretRequest[];
  mageSecretRefs: MageSecretRef[];
  /** The settings of Mage io_config profiles (literal values' text is in `literalStrings` only). */
  mageSettings: MageSetting[];
  /** Literal AWS access keys in app configurations (`mage/hardcoded-aws-credentials`). */
  hardcodedCredentials: HardcodedCredential[];
  undefinedReferences: UndefinedReference[];
  /** The data plane's region (Flyte/Union), from `--data-plane-region` or config. */
  dataPlaneRegion?: Located;
  /**
   * Problems reading the input that are findings (`terraform/parse-error`): Terraform files, and
   * app configurations (malformed `io_config.yml`, docker-compose YAML, flytekit Python).
   */
  parseErrors: Array<{ message: string; origin: Origin }>;
  /**
   * Every literal text written in the sources (template text, not comments), with its place:
   * for checks on what was typed, like documentation placeholders left in. Held in memory
   * only; never dumped (it may hold secret values).
   */
  literalStrings: LiteralStrings;
  /** How Terraform and the account compare (`audit --tf`); absent otherwise. */
  drift?: Drift;
  /**
   * The `secretlint:ignore` comments of the scanned files and what became of them. Filled
   * after the rules ran (src/engine/suppress.ts), for the rules of the after-suppressions phase.
   */
  suppressionComments: SuppressionComment[];
  /** When the live account was read (ISO 8601): the time rules on dates count from. */
  observedAt?: string;
}

/** A `# secretlint:ignore[-file] RULE[,RULE] -- reason` comment, after the rules ran. */
export interface SuppressionComment {
  fileWide: boolean;
  /** The ids it names, as written (`sym/*` for a family). */
  ruleIds: string[];
  reason?: string;
  /** Ids (or families) that name no rule, each with the closest known one when there is one. */
  unknownIds: Array<{ id: string; suggestion?: string }>;
  /** It hid at least one finding. */
  used: boolean;
  /** Every rule it names ran (not off, not left out by `--only`): only then does "hid nothing" mean something. */
  checked: boolean;
  /** The comment itself. */
  origin: Origin;
}

/** An audit's cross-check of the account with its Terraform declarations (`audit --tf`). */
export interface Drift {
  /** Declared secrets the account does not hold (only in regions whose listing was complete). */
  missingLive: Array<{ declared: Secret; region: string; account?: string }>;
  /** Declared secrets matched to the account's (the live one carries both origins). */
  matched: Array<{ declared: Secret; live: Secret }>;
}

export function emptyInventory(): Inventory {
  return {
    secrets: [],
    iamPolicies: [],
    iamPrincipals: [],
    symSecrets: [],
    symObjects: [],
    symAccessPolicies: [],
    aponoSecretRefs: [],
    flyteSecretRequests: [],
    mageSecretRefs: [],
    mageSettings: [],
    hardcodedCredentials: [],
    undefinedReferences: [],
    parseErrors: [],
    literalStrings: new LiteralStrings(),
    suppressionComments: [],
  };
}
