// A Terraform plan in JSON (`terraform show -json plan.out`) → the inventory, with planned
// values as known values: what the sources leave unknown (data sources, module outputs,
// variables from the pipeline) is known in a plan, and what is still unknown there (attributes
// known only after apply: `after_unknown`, or absent from `planned_values`) stays Unknown.
//
// Covered: secrets (name, ARN, region, tags, KMS key, recovery window, replicas, rotation,
// resource policy from the secret's `policy` and aws_secretsmanager_secret_policy), secret
// versions (argument, value source, value *shape*: a secret_string is parsed for its top-level
// keys and dropped at once, never stored), IAM policies (managed, inline, role inline_policy,
// policy documents) with statements, principals and attachments, Sym access policies,
// sym_secret and the other sym_* objects, Apono secret references.
//
// Locations: with the Project the plan was made from, each entity points at its declaration
// (matched by address; statements at their places in the source); otherwise at the plan file
// itself: the resource's `"address"` line in planned_values, each attribute's value, each
// statement inside the policy JSON string.

import { MAX_DATA_FILE_BYTES, readNamedFile } from "../files/read.js";
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { isStringLiteral, stringLiteralValue, type Expression, type Range } from "../hcl/ast.js";
import {
  emptyInventory,
  type AponoSecretRef,
  type IamPolicy,
  type IamPrincipal,
  type Inventory,
  type Located,
  type Origin,
  type PolicyDocument,
  type PrincipalKind,
  type RotationRules,
  type Secret,
  type SecretVersion,
  type SymObject,
  type ValueShape,
  type ValueSource,
} from "../inventory/model.js";
import { findAttr } from "../terraform/config.js";
import type { ResourceInstance } from "../terraform/module.js";
import { partitionOf } from "../terraform/models.js";
import type { Project } from "../terraform/project.js";
import { Failure, ObjectValue, Unknown, fromJSON, joinPieces, knownString, unknown, type StringPiece, type Value } from "../terraform/values.js";
import { parseJsonText } from "../util/json.js";
import { argument, buildContext, fileOrigin, instanceOrigin, type CollectContext } from "./terraform/context.js";
import { sourcePolicyDocument, symAccessPoliciesOf } from "./terraform/iam.js";
import { LineIndex, copyStatementSyntax, documentFrom, jsonStringContent, jsonSyntax, policyValue, type SyntaxNode } from "./terraform/policy-json.js";

export interface PlanOptions {
  /** The project the plan was made from: entities then point at their `.tf` declarations. */
  sourceRoot?: Project;
  /** The plan file as findings show it (default `plan.json`). */
  planPath?: string;
  /** The plan's JSON text, to point at lines inside it (without it: line 1 of the file). */
  planText?: string;
}

/** A plan this reader cannot use (not JSON, not a plan, an unsupported format version). */
export class PlanError extends Error {}

/** Reads a plan file (`terraform show -json` output) into an inventory. */
export function inventoryFromPlanFile(file: string, options: { sourceRoot?: Project; displayPath?: string } = {}): Inventory {
  const text = readNamedFile(file, "plan file", MAX_DATA_FILE_BYTES);
  if (typeof text !== "string") throw new PlanError(text.error);
  const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!parsed.ok) throw new PlanError(`${file}: not a plan (${parsed.error}); give the output of \`terraform show -json PLANFILE\``);
  return inventoryFromPlan(parsed.value, { sourceRoot: options.sourceRoot, planPath: options.displayPath ?? file, planText: text });
}

// ---------------------------------------------------------------- the plan's shape

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
type JsonPath = Array<string | number>;

function isObj(j: unknown): j is JsonObject {
  return typeof j === "object" && j !== null && !Array.isArray(j);
}

interface PlanResource {
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index: number | string | undefined;
  /** Module instance address (`module.a["x"]`), "" for the root. */
  module: string;
  /** Attribute values, unknown where the plan does not know them. */
  values: ObjectValue;
  /** Where the resource object is in the plan's JSON. */
  path: JsonPath;
  /** The resource's configuration (expressions with references), when the plan has it. */
  config?: JsonObject;
  providerKey?: string;
  /** True when the values come from planned_values alone: an absent attribute is then unknown, not null. */
  absentUnknown: boolean;
}

/** `module.a["x"].module.b` → `["a", "b"]` (instance keys dropped). */
function modulePath(address: string): string[] {
  return stripKeys(address)
    .split(".")
    .filter((_, i, a) => a[i - 1] === "module");
}

/** Removes instance keys (`[0]`, `["k"]`) from an address. */
function stripKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, "");
}

/** A planned value with the plan's unknown marks applied. */
function withUnknowns(known: unknown, marks: unknown, what: string): Value {
  if (marks === true) return unknown("computed", what);
  if (Array.isArray(known) || Array.isArray(marks)) {
    const k = Array.isArray(known) ? known : [];
    const m = Array.isArray(marks) ? marks : [];
    const n = Math.max(k.length, m.length);
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(withUnknowns(k[i], m[i], `${what}[${i}]`));
    return out;
  }
  if (isObj(known) || isObj(marks)) {
    const k = isObj(known) ? known : {};
    const m = isObj(marks) ? marks : {};
    const out = new ObjectValue();
    for (const key of new Set([...Object.keys(k), ...Object.keys(m)])) {
      if (!(key in k) && m[key] !== true && !isObj(m[key]) && !Array.isArray(m[key])) continue;
      out.set(key, withUnknowns(k[key], m[key], `${what}.${key}`));
    }
    return out;
  }
  return known === undefined ? null : fromJSON(known);
}

// ---------------------------------------------------------------- reader

export function inventoryFromPlan(planJson: unknown, options: PlanOptions = {}): Inventory {
  return new PlanReader(planJson, options).read();
}

const PRINCIPAL_TYPES: Record<string, PrincipalKind> = { aws_iam_role: "role", aws_iam_user: "user", aws_iam_group: "group" };
const INLINE_POLICY_TYPES: Record<string, [PrincipalKind, string]> = {
  aws_iam_role_policy: ["role", "role"],
  aws_iam_user_policy: ["user", "user"],
  aws_iam_group_policy: ["group", "group"],
};
const ATTACHMENT_TYPES: Record<string, [PrincipalKind, string, string]> = {
  aws_iam_role_policy_attachment: ["role", "role", "policy_arn"],
  aws_iam_user_policy_attachment: ["user", "user", "policy_arn"],
  aws_iam_group_policy_attachment: ["group", "group", "policy_arn"],
  aws_iam_role_policy_attachments_exclusive: ["role", "role_name", "policy_arns"],
  aws_iam_user_policy_attachments_exclusive: ["user", "user_name", "policy_arns"],
  aws_iam_group_policy_attachments_exclusive: ["group", "group_name", "policy_arns"],
};
const SYM_KINDS = new Set(["sym_secrets", "sym_integration", "sym_target", "sym_strategy", "sym_flow", "sym_environment", "sym_runtime"]);

class PlanReader {
  private readonly inv = emptyInventory();
  private readonly plan: JsonObject;
  private readonly planPath: string;
  private readonly tree: JsonNode | undefined;
  private readonly lines: LineIndex | undefined;
  private readonly resources: PlanResource[] = [];
  private readonly byAddress = new Map<string, PlanResource>();
  private readonly source: SourceMap | undefined;
  private readonly secrets = new Map<string, Secret>();
  private readonly policies = new Map<string, IamPolicy>();
  private readonly principals = new Map<string, IamPrincipal>();
  private readonly consumedDocs = new Set<string>();
  private accountId: string | undefined;

  constructor(planJson: unknown, private readonly options: PlanOptions) {
    if (!isObj(planJson)) throw new PlanError("not a Terraform plan: expected a JSON object (the output of `terraform show -json PLANFILE`)");
    const version = planJson.format_version;
    if (typeof version === "string" && !/^(0|1)\./.test(version)) {
      throw new PlanError(`unsupported plan format version ${version}: this reader knows 0.x and 1.x`);
    }
    if (!isObj(planJson.planned_values) && !isObj(planJson.prior_state) && !Array.isArray(planJson.resource_changes)) {
      throw new PlanError("not a Terraform plan: no planned_values, resource_changes or prior_state");
    }
    this.plan = planJson;
    this.planPath = options.planPath ?? "plan.json";
    if (options.planText !== undefined) {
      const errors: ParseError[] = [];
      try {
        // A BOM is blanked (one character, so offsets stay).
        const text = options.planText.charCodeAt(0) === 0xfeff ? " " + options.planText.slice(1) : options.planText;
        this.tree = parseTree(text, errors);
      } catch {
        this.tree = undefined;
      }
      this.lines = new LineIndex(options.planText);
    }
    if (options.sourceRoot) this.source = new SourceMap(buildContext(options.sourceRoot, emptyInventory()));
  }

  read(): Inventory {
    this.collectResources();
    const known = this.resources.find((r) => r.mode === "data" && r.type === "aws_caller_identity");
    this.accountId = known ? knownString(known.values.get("account_id")) : undefined;

    for (const r of this.resources) if (r.mode === "managed" && r.type === "aws_secretsmanager_secret") this.addSecret(r);
    for (const r of this.resources) {
      const kind = PRINCIPAL_TYPES[r.type];
      if (kind && r.mode === "managed") {
        const p: IamPrincipal = { id: r.address, kind, name: this.located(r, "name"), arn: this.val(r, "arn"), origin: this.origin(r) };
        this.principals.set(p.id, p);
      }
    }
    let rotationUnlinked = false;
    for (const r of this.resources) {
      if (r.mode !== "managed") continue;
      switch (r.type) {
        case "aws_secretsmanager_secret_version":
          this.addVersion(r);
          break;
        case "aws_secretsmanager_secret_rotation": {
          const targets = this.secretsFor(r, "secret_id");
          // A rotation of a secret the plan cannot name may be any secret's: not "off" then.
          if (targets.length === 0 && knownString(r.values.get("secret_id")) === undefined) rotationUnlinked = true;
          const rules = this.rotationRules(r);
          for (const s of targets) {
            s.rotationEnabled = true;
            if (rules) s.rotationRules = rules;
          }
          break;
        }
        case "aws_secretsmanager_secret_policy": {
          const doc = this.document(r, ["policy"], "policy");
          for (const s of this.secretsFor(r, "secret_arn")) s.resourcePolicy = doc;
          this.consume(r, "policy");
          break;
        }
        case "aws_iam_policy":
          this.addPolicy(r.address, "managed", this.located(r, "name"), this.document(r, ["policy"], "policy"), this.origin(r));
          this.consume(r, "policy");
          break;
        case "aws_iam_role_policy":
        case "aws_iam_user_policy":
        case "aws_iam_group_policy":
          this.addPolicy(r.address, "inline", this.located(r, "name"), this.document(r, ["policy"], "policy"), this.origin(r));
          this.consume(r, "policy");
          break;
        case "aws_iam_role": {
          // The planned `inline_policy` of an existing role lists every inline policy, those of
          // aws_iam_role_policy resources too: only blocks the configuration writes count.
          const written = r.config && isObj(r.config.expressions) && "inline_policy" in r.config.expressions;
          const inline = written ? r.values.get("inline_policy") : undefined;
          if (Array.isArray(inline)) {
            inline.forEach((b, i) => {
              if (!(b instanceof ObjectValue)) return;
              const policy = b.get("policy");
              if (policy === undefined || policy === null || policy === "") return;
              const o = this.attrOrigin(r, ["inline_policy", i]);
              const doc = this.document(r, ["inline_policy", i, "policy"], { inlinePolicy: i }, policy);
              const p = this.addPolicy(`${r.address}.inline_policy[${i}]`, "inline", { value: b.get("name") ?? null, origin: o }, doc, o);
              p.attachedTo.push(r.address);
            });
          }
          this.consume(r, "inline_policy");
          this.consume(r, "assume_role_policy");
          break;
        }
      }
    }
    if (rotationUnlinked) for (const s of this.secrets.values()) if (s.rotationEnabled === false) s.rotationEnabled = undefined;
    // Secrets' own `policy` argument, unless a secret policy resource set it.
    for (const r of this.resources) {
      if (r.mode !== "managed" || r.type !== "aws_secretsmanager_secret") continue;
      const s = this.secrets.get(r.address);
      const policy = r.values.get("policy");
      if (s && !s.resourcePolicy && typeof policy === "string" && policy !== "") s.resourcePolicy = this.document(r, ["policy"], "policy");
      this.consume(r, "policy");
    }
    // Any other reference to a policy document (a KMS key policy…) also uses it up.
    for (const r of this.resources) {
      for (const ref of this.allRefs(r)) if (ref.startsWith("data.aws_iam_policy_document.")) this.consumeRef(r, ref);
    }
    for (const r of this.resources) {
      if (r.mode !== "data" || r.type !== "aws_iam_policy_document" || this.consumedDocs.has(r.address)) continue;
      this.addPolicy(r.address, "document", { value: r.address, origin: this.origin(r) }, this.document(r, ["json"], "json"), this.origin(r));
    }
    this.attachments();
    this.symAndApono();

    this.inv.secrets.push(...this.secrets.values());
    for (const p of this.policies.values()) {
      this.inv.iamPolicies.push(p);
      this.inv.symAccessPolicies.push(...symAccessPoliciesOf(p));
    }
    this.inv.iamPrincipals.push(...this.principals.values());
    return this.inv;
  }

  // ------------------------------------------------------------ resources

  private collectResources(): void {
    const changes = new Map<string, JsonObject>();
    if (Array.isArray(this.plan.resource_changes)) {
      for (const c of this.plan.resource_changes) if (isObj(c) && typeof c.address === "string" && isObj(c.change)) changes.set(c.address, c.change);
    }
    const configs = new Map<string, JsonObject>();
    const configuration = isObj(this.plan.configuration) ? this.plan.configuration : undefined;
    const walkConfig = (mod: Json | undefined, path: string[]) => {
      if (!isObj(mod)) return;
      if (Array.isArray(mod.resources)) {
        for (const r of mod.resources) if (isObj(r) && typeof r.address === "string") configs.set([...path, r.address].join("|"), r);
      }
      if (isObj(mod.module_calls)) {
        for (const [name, call] of Object.entries(mod.module_calls)) if (isObj(call)) walkConfig(call.module, [...path, name]);
      }
    };
    walkConfig(configuration?.root_module, []);
    this.moduleCalls = (path: string[]) => {
      let mod: Json | undefined = configuration?.root_module;
      for (const name of path) {
        const calls: Json | undefined = isObj(mod) ? mod.module_calls : undefined;
        const call: Json | undefined = isObj(calls) ? calls[name] : undefined;
        if (!isObj(call)) return undefined;
        mod = call.module;
      }
      return isObj(mod) ? mod : undefined;
    };

    const seen = new Set<string>();
    const walk = (mod: Json | undefined, path: JsonPath, moduleAddress: string, fromState: boolean) => {
      if (!isObj(mod)) return;
      const address = typeof mod.address === "string" ? mod.address : moduleAddress;
      if (Array.isArray(mod.resources)) {
        mod.resources.forEach((r, i) => {
          if (!isObj(r) || typeof r.address !== "string" || typeof r.type !== "string" || seen.has(r.address)) return;
          const mode = r.mode === "data" ? "data" : "managed";
          // Prior state adds only data sources read while planning.
          if (fromState && mode !== "data") return;
          seen.add(r.address);
          const change = changes.get(r.address);
          const deleted = Array.isArray(change?.actions) && change.actions.length === 1 && change.actions[0] === "delete";
          if (deleted) return;
          const afterKnown = change && isObj(change.after) ? change.after : r.values;
          const marks = change ? change.after_unknown : undefined;
          let values = withUnknowns(afterKnown, marks, r.address);
          if (!change && isObj(r.values)) values = withUnknowns(r.values, undefined, r.address);
          const name = typeof r.name === "string" ? r.name : "";
          const decl = `${mode === "data" ? "data." : ""}${r.type}.${name}`;
          const configKey = [...modulePath(address), decl].join("|");
          const config = configs.get(configKey);
          const pr: PlanResource = {
            address: r.address,
            mode,
            type: r.type,
            name,
            index: typeof r.index === "number" || typeof r.index === "string" ? r.index : undefined,
            module: address,
            values: values instanceof ObjectValue ? values : new ObjectValue(),
            path: [...path, "resources", i],
            config,
            providerKey: typeof config?.provider_config_key === "string" ? config.provider_config_key : undefined,
            absentUnknown: !change && !fromState,
          };
          this.resources.push(pr);
          this.byAddress.set(pr.address, pr);
        });
      }
      if (Array.isArray(mod.child_modules)) {
        mod.child_modules.forEach((c, i) => walk(c, [...path, "child_modules", i], isObj(c) && typeof c.address === "string" ? c.address : address, fromState));
      }
    };
    const planned = isObj(this.plan.planned_values) ? this.plan.planned_values : undefined;
    walk(planned?.root_module, ["planned_values", "root_module"], "", false);
    const prior = isObj(this.plan.prior_state) && isObj(this.plan.prior_state.values) ? this.plan.prior_state.values : undefined;
    walk(prior?.root_module, ["prior_state", "values", "root_module"], "", true);
  }

  private moduleCalls: (path: string[]) => JsonObject | undefined = () => undefined;

  // ------------------------------------------------------------ locations

  private node(path: JsonPath): JsonNode | undefined {
    return this.tree ? findNodeAtLocation(this.tree, path) : undefined;
  }

  private planRange(n: JsonNode | undefined): Range {
    if (!n || !this.lines) {
      const p = { offset: 0, byte: 0, line: 1, column: 1 };
      return { start: p, end: p };
    }
    // A value's range is its member's (`"key": value`) when it has one.
    const m = n.parent?.type === "property" ? n.parent : n;
    return this.lines.range(m.offset, m.offset + m.length);
  }

  private origin(r: PlanResource): Origin {
    const inst = this.source?.find(r.address);
    if (inst) return instanceOrigin(inst);
    const obj = this.node(r.path);
    const addr = obj?.children?.find((p) => p.children?.[0]?.value === "address")?.children?.[1];
    return fileOrigin(this.planPath, this.planRange(addr ?? obj), r.address);
  }

  private attrOrigin(r: PlanResource, path: JsonPath): Origin {
    const inst = this.source?.find(r.address);
    if (inst) {
      const name = String(path[0]);
      return findAttr(inst.block.body, name) ? (argument(inst, name).origin as Origin) : instanceOrigin(inst);
    }
    const n = this.node([...r.path, "values", ...path]);
    return n ? fileOrigin(this.planPath, this.planRange(n), r.address) : this.origin(r);
  }

  /** An attribute's planned value: null when the plan says so, unknown when the plan does not know it. */
  private val(r: PlanResource, name: string): Value {
    if (r.values.has(name)) return r.values.get(name) as Value;
    return r.absentUnknown ? unknown("computed", `${r.address}.${name}`) : null;
  }

  private located(r: PlanResource, name: string): Located {
    return { value: this.val(r, name), origin: this.attrOrigin(r, [name]) };
  }

  /** Where each tag key is set: in the source's `tags` object, or in the plan. */
  private tagOrigins(r: PlanResource, attr: string, tags: Value): Map<string, Origin> {
    const out = new Map<string, Origin>();
    if (!(tags instanceof ObjectValue)) return out;
    const inst = this.source?.find(r.address);
    const tagsAttr = inst ? findAttr(inst.block.body, "tags") : undefined;
    for (const key of tags.keys()) {
      if (inst) {
        const item = tagsAttr?.expr.type === "Object" ? tagsAttr.expr.items.find((it) => (it.bareKey && it.key.type === "Variable" ? it.key.name : keyText(it.key)) === key) : undefined;
        if (item) out.set(key, fileOrigin(inst.file, item.range, r.address));
        else if (tagsAttr) out.set(key, fileOrigin(inst.file, tagsAttr.range, r.address));
        continue;
      }
      const n = this.node([...r.path, "values", attr, key]);
      if (n) out.set(key, fileOrigin(this.planPath, this.planRange(n), r.address));
    }
    return out;
  }

  // ------------------------------------------------------------ policies

  /**
   * A policy attribute as a document: the plan's value; statements placed in the source when
   * the plan maps to it (and the statement count agrees), else inside the plan's JSON string.
   */
  private document(r: PlanResource, path: JsonPath, which: string | { inlinePolicy: number }, raw?: Value): PolicyDocument {
    const value = raw ?? (r.values.get(String(path[0])) as Value | undefined) ?? null;
    const origin = this.attrOrigin(r, path);
    const doc = policyValue(value);
    const at = (n: SyntaxNode): Origin => fileOrigin(n.file, n.range, r.address);
    const inst = this.source?.find(r.address);
    if (inst && this.source) {
      const src = sourcePolicyDocument(this.source.ctx, inst, which);
      const planned = documentFrom(doc, src?.origin ?? origin, undefined, at);
      if (src && src.statements.length === planned.statements.length) {
        planned.statements.forEach((st, i) => {
          const s = src.statements[i];
          st.origin = s.origin;
          copyStatementSyntax(s, st);
          for (const k of ["effect", "actions", "notActions", "resources", "notResources", "principals", "notPrincipals", "condition"] as const) {
            const a = st[k];
            const b = s[k];
            if (a && b) a.origin = b.origin;
          }
        });
      }
      return planned;
    }
    let syntax: SyntaxNode | undefined;
    const n = this.node([...r.path, "values", ...path]);
    if (n && this.lines && this.options.planText !== undefined) {
      const mapped = jsonStringContent(this.options.planText, n);
      if (mapped) syntax = jsonSyntax(mapped, this.lines, this.planPath);
    }
    return documentFrom(doc, origin, syntax, at);
  }

  private addPolicy(id: string, kind: IamPolicy["kind"], name: Located, document: PolicyDocument, origin: Origin): IamPolicy {
    if (!this.policies.has(id)) this.policies.set(id, { id, kind, name, document, attachedTo: [], origin });
    return this.policies.get(id) as IamPolicy;
  }

  /** Marks the policy documents an attribute refers to as used by it. */
  private consume(r: PlanResource, attr: string): void {
    for (const ref of this.refs(r, attr)) this.consumeRef(r, ref);
  }

  private consumeRef(r: PlanResource, ref: string): void {
    for (const t of this.targets(r, ref)) if (t.type === "aws_iam_policy_document") this.consumedDocs.add(t.address);
  }

  // ------------------------------------------------------------ references

  /** References of an attribute's expression in the configuration (nested ones included), following module variables. */
  private refs(r: PlanResource, attr: string): string[] {
    const expr = r.config && isObj(r.config.expressions) ? r.config.expressions[attr] : undefined;
    return this.followVars(r.module, collectRefs(expr));
  }

  private allRefs(r: PlanResource): string[] {
    const exprs = r.config && isObj(r.config.expressions) ? r.config.expressions : undefined;
    return this.followVars(r.module, collectRefs(exprs));
  }

  /** `var.x` in a module → the references of the caller's `x` input (as references of the caller's module). */
  private followVars(moduleAddress: string, refs: string[]): string[] {
    const out: string[] = [];
    for (const ref of refs) {
      const m = /^var\.([A-Za-z0-9_-]+)/.exec(ref);
      if (!m || moduleAddress === "") {
        out.push(ref);
        continue;
      }
      const path = modulePath(moduleAddress);
      const parent = this.moduleCalls(path.slice(0, -1));
      const calls = parent && isObj(parent.module_calls) ? parent.module_calls : undefined;
      const call = calls ? calls[path[path.length - 1]] : undefined;
      const expr = isObj(call) && isObj(call.expressions) ? call.expressions[m[1]] : undefined;
      const parentAddress = moduleAddress.replace(/\.?module\.[^.[]+(\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?$/, "");
      for (const x of this.followVars(parentAddress, collectRefs(expr))) out.push(x.startsWith(PARENT) ? x : `${PARENT}${parentAddress}${PARENT}${x}`);
    }
    return out;
  }

  /** The plan resources a reference names, in the referring resource's module (or the caller's, for followed variables). */
  private targets(from: PlanResource, ref: string): PlanResource[] {
    let moduleAddress = from.module;
    const parentRef = ref.startsWith(PARENT) ? ref.slice(PARENT.length).split(PARENT) : undefined;
    if (parentRef) {
      moduleAddress = parentRef[0];
      ref = parentRef[1];
    }
    const m = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\])?/.exec(ref);
    if (!m || ["var", "local", "module", "each", "count", "path", "terraform", "self"].includes(m[2])) return [];
    const mode = m[1] ? "data" : "managed";
    const candidates = this.resources.filter((x) => x.module === moduleAddress && x.mode === mode && x.type === m[2] && x.name === m[3]);
    if (m[4]) {
      let key: number | string;
      try {
        key = m[6] !== undefined ? Number(m[6]) : (JSON.parse(`"${m[5]}"`) as string);
      } catch {
        return [];
      }
      return candidates.filter((c) => c.index === key);
    }
    if (candidates.length <= 1) return candidates;
    // `aws_x.y[count.index]` shows as `aws_x.y`: the instance with the same key, if any.
    const same = candidates.filter((c) => c.index !== undefined && c.index === from.index);
    return same.length === 1 ? same : candidates;
  }

  // ------------------------------------------------------------ secrets

  private addSecret(r: PlanResource): void {
    const region = this.regionOf(r);
    const nameV = r.values.get("name");
    const prefix = r.values.get("name_prefix");
    const name: Located = {
      value: typeof nameV === "string" ? nameV : typeof prefix === "string" && prefix !== "" ? joinPieces([prefix, unknown("computed", "generated name")]) : (nameV ?? unknown("computed", `${r.address}.name`)),
      origin: this.attrOrigin(r, ["name"]),
    };
    const arnV = r.values.get("arn");
    const arn: Value =
      typeof arnV === "string"
        ? arnV
        : joinPieces([
            "arn:",
            partitionOf(region.value),
            ":secretsmanager:",
            piece(region.value),
            ":",
            this.accountId ?? unknown("computed", "the account id"),
            ":secret:",
            ...(Array.isArray(pieces(name.value)) ? (pieces(name.value) as StringPiece[]) : [unknown("computed", "name")]),
            "-",
            unknown("computed", "the 6-character suffix"),
          ]);
    const tagsAll = r.values.get("tags_all");
    const useAll = tagsAll instanceof ObjectValue;
    const tagsValue = useAll ? tagsAll : this.val(r, "tags");
    const replicas = r.values.get("replica");
    const secret: Secret = {
      id: r.address,
      name,
      arn,
      region,
      tags: { value: tagsValue, origin: this.attrOrigin(r, [useAll && !this.source ? "tags_all" : "tags"]) },
      tagOrigins: this.tagOrigins(r, useAll ? "tags_all" : "tags", tagsValue),
      kmsKeyId: this.located(r, "kms_key_id"),
      recoveryWindowInDays: this.located(r, "recovery_window_in_days"),
      versions: [],
      shape: { kind: "unknown" },
      replicas: Array.isArray(replicas)
        ? replicas.map((rep, i) => {
            const o = this.attrOrigin(r, ["replica", i]);
            const get = (k: string): Value => (rep instanceof ObjectValue ? (rep.get(k) ?? null) : unknown("computed", `replica.${k}`));
            return { region: { value: get("region"), origin: o }, kmsKeyId: { value: get("kms_key_id"), origin: o }, origin: o };
          })
        : [],
      // Off until a rotation resource of the plan names it (the plan holds every resource).
      rotationEnabled: false,
      origin: this.origin(r),
    };
    this.secrets.set(secret.id, secret);
  }

  /** A rotation resource's `rotation_rules`, with where each part is set. */
  private rotationRules(r: PlanResource): RotationRules | undefined {
    const list = r.values.get("rotation_rules");
    const block = Array.isArray(list) ? list[0] : undefined;
    if (!(block instanceof ObjectValue)) return undefined;
    const origin = this.attrOrigin(r, ["rotation_rules"]);
    const rules: RotationRules = { origin };
    const part = (k: string): Located | undefined => {
      const v = block.get(k);
      // The provider plans unset parts as null or "".
      return v === undefined || v === null || v === "" ? undefined : { value: v, origin };
    };
    const days = part("automatically_after_days");
    const schedule = part("schedule_expression");
    const duration = part("duration");
    if (days) rules.automaticallyAfterDays = days;
    if (schedule) rules.scheduleExpression = schedule;
    if (duration) rules.duration = duration;
    return rules;
  }

  private regionOf(r: PlanResource): Located {
    const own = r.values.get("region");
    if (typeof own === "string") return { value: own, origin: this.attrOrigin(r, ["region"]) };
    const arn = knownString(r.values.get("arn"));
    const fromArn = arn?.split(":")[3];
    if (fromArn) return { value: fromArn, origin: this.origin(r) };
    const providers = isObj(this.plan.configuration) && isObj(this.plan.configuration.provider_config) ? this.plan.configuration.provider_config : {};
    for (const key of [r.providerKey, r.providerKey?.replace(/^.*:/, ""), "aws"]) {
      const p = key ? providers[key] : undefined;
      const region = isObj(p) && isObj(p.expressions) && isObj(p.expressions.region) ? p.expressions.region.constant_value : undefined;
      if (typeof region === "string") return { value: region, origin: this.origin(r) };
    }
    return { value: unknown("dynamic", `the region of ${r.address}`), origin: this.origin(r) };
  }

  /** Secrets an argument names: by reference in the configuration, else by a known ARN/id/name. */
  private secretsFor(r: PlanResource, attr: string): Secret[] {
    const out = new Set<Secret>();
    for (const ref of this.refs(r, attr)) {
      for (const t of this.targets(r, ref)) {
        const s = this.secrets.get(t.address);
        if (s) out.add(s);
      }
    }
    if (out.size > 0) return [...out];
    const v = knownString(r.values.get(attr));
    if (v === undefined) return [];
    for (const s of this.secrets.values()) {
      if (s.arn === v || knownString(s.name.value) === v) out.add(s);
    }
    return [...out];
  }

  private addVersion(r: PlanResource): void {
    const expressions = r.config && isObj(r.config.expressions) ? r.config.expressions : {};
    let arg = "secret_string";
    if ("secret_string_wo" in expressions || r.values.get("secret_string_wo_version") !== undefined) arg = "secret_string_wo";
    if ("secret_binary" in expressions || typeof r.values.get("secret_binary") === "string") arg = "secret_binary";
    if ("secret_string" in expressions || typeof r.values.get("secret_string") === "string") arg = "secret_string";
    const version: SecretVersion = {
      origin: this.origin(r),
      argument: arg,
      source: valueSource(arg, expressions[arg]),
      shape: { ...shapeOf(arg, r.values.get(arg)), origin: this.attrOrigin(r, [arg]) } as ValueShape,
    };
    for (const s of this.secretsFor(r, "secret_id")) {
      s.versions.push(version);
      s.shape = version.shape;
    }
  }

  // ------------------------------------------------------------ attachments

  private attachments(): void {
    const attach = (policyIds: string[], principalIds: string[]) => {
      for (const id of policyIds) {
        const p = this.policies.get(id);
        if (!p) continue;
        for (const q of principalIds) if (!p.attachedTo.includes(q)) p.attachedTo.push(q);
      }
    };
    for (const r of this.resources) {
      if (r.mode !== "managed") continue;
      const inline = INLINE_POLICY_TYPES[r.type];
      if (inline) attach([r.address], this.principalsFor(r, inline[1], inline[0]));
      const att = ATTACHMENT_TYPES[r.type];
      if (att) attach(this.policiesFor(r, att[2]), this.principalsFor(r, att[1], att[0]));
      if (r.type === "aws_iam_policy_attachment") {
        attach(this.policiesFor(r, "policy_arn"), [
          ...this.principalsFor(r, "roles", "role"),
          ...this.principalsFor(r, "users", "user"),
          ...this.principalsFor(r, "groups", "group"),
        ]);
      }
      if (r.type === "aws_iam_role") attach(this.policiesFor(r, "managed_policy_arns"), [r.address]);
    }
  }

  private principalsFor(r: PlanResource, attr: string, kind: PrincipalKind): string[] {
    const out = new Set<string>();
    for (const ref of this.refs(r, attr)) for (const t of this.targets(r, ref)) if (PRINCIPAL_TYPES[t.type] === kind) out.add(t.address);
    const v = r.values.get(attr);
    for (const x of Array.isArray(v) ? v : [v]) {
      const s = knownString(x);
      if (s === undefined) continue;
      const name = s.startsWith("arn:") ? s.slice(s.lastIndexOf("/") + 1) : s;
      for (const p of this.principals.values()) if (p.kind === kind && p.name.value === name) out.add(p.id);
    }
    return [...out];
  }

  private policiesFor(r: PlanResource, attr: string): string[] {
    const out = new Set<string>();
    for (const ref of this.refs(r, attr)) for (const t of this.targets(r, ref)) if (t.type === "aws_iam_policy") out.add(t.address);
    const v = r.values.get(attr);
    for (const x of Array.isArray(v) ? v : [v]) {
      const s = knownString(x);
      if (s === undefined) continue;
      for (const p of this.policies.values()) {
        if (p.kind !== "managed") continue;
        const pr = this.byAddress.get(p.id);
        const arn = pr ? knownString(pr.values.get("arn")) : undefined;
        const m = /:policy(\/.*\/|\/)([^/]+)$/.exec(s);
        const path = pr ? (knownString(pr.values.get("path")) ?? "/") : "/";
        if (arn === s || (arn === undefined && m && p.name.value === m[2] && path === m[1])) out.add(p.id);
      }
    }
    return [...out];
  }

  // ------------------------------------------------------------ Sym and Apono

  private symAndApono(): void {
    for (const r of this.resources) {
      if (r.mode !== "managed") continue;
      if (r.type === "sym_secret") {
        const settings = r.values.get("settings");
        const jsonKey = settings instanceof ObjectValue ? settings.get("json_key") : undefined;
        const ref = this.refs(r, "path").flatMap((x) => this.targets(r, x)).find((t) => t.type === "aws_secretsmanager_secret");
        const secretRef = ref?.address ?? [...this.secrets.values()].find((s) => knownString(s.name.value) !== undefined && s.name.value === r.values.get("path"))?.id;
        this.inv.symSecrets.push({
          id: r.address,
          path: this.located(r, "path"),
          ...(secretRef ? { secretRef } : {}),
          sourceId: this.located(r, "source_id"),
          ...(jsonKey !== undefined && jsonKey !== null ? { jsonKey: { value: jsonKey, origin: this.attrOrigin(r, ["settings", "json_key"]) } } : {}),
          origin: this.origin(r),
        });
      } else if (SYM_KINDS.has(r.type)) {
        const attributes = new Map<string, Located>();
        for (const [k, v] of r.values.entries) attributes.set(k, { value: v, origin: this.attrOrigin(r, [k]) });
        const obj: SymObject = { id: r.address, kind: r.type as SymObject["kind"], type: this.located(r, "type"), attributes, origin: this.origin(r) };
        this.inv.symObjects.push(obj);
      } else if (r.type === "apono_integration" || r.type === "apono_resource_integration") {
        const via = r.type;
        let holder: Value | undefined = via === "apono_integration" ? r.values.get("aws_secret") : r.values.get("secret_store_config");
        let path: JsonPath = via === "apono_integration" ? ["aws_secret"] : ["secret_store_config"];
        if (Array.isArray(holder)) {
          holder = holder[0];
          path = [...path, 0];
        }
        if (via === "apono_resource_integration") {
          let aws = holder instanceof ObjectValue ? holder.get("aws") : undefined;
          path = [...path, "aws"];
          if (Array.isArray(aws)) {
            aws = aws[0];
            path = [...path, 0];
          }
          holder = aws;
        }
        if (!(holder instanceof ObjectValue)) continue;
        const attr = via === "apono_integration" ? "aws_secret" : "secret_store_config";
        const target = this.refs(r, attr).flatMap((x) => this.targets(r, x)).find((t) => t.type === "aws_secretsmanager_secret");
        const ref: AponoSecretRef = {
          id: r.address,
          via,
          secretId: { value: holder.get("secret_id") ?? null, origin: this.attrOrigin(r, [...path, "secret_id"]) },
          ...(target ? { secretRef: target.address } : {}),
          region: { value: holder.get("region") ?? null, origin: this.attrOrigin(r, [...path, "region"]) },
          origin: this.origin(r),
        };
        this.inv.aponoSecretRefs.push(ref);
      }
    }
  }
}

/** Marks a reference followed into the caller's module: `\0<module address>\0<reference>`. */
const PARENT = "\u0000";

/** Every `references` list inside a configuration expression (nested blocks and objects too). */
function collectRefs(expr: Json | undefined): string[] {
  const out: string[] = [];
  const walk = (j: Json | undefined) => {
    if (Array.isArray(j)) j.forEach(walk);
    else if (isObj(j)) {
      if (Array.isArray(j.references)) for (const r of j.references) if (typeof r === "string") out.push(r);
      for (const [k, v] of Object.entries(j)) if (k !== "references" && k !== "constant_value") walk(v);
    }
  };
  walk(expr);
  return out;
}

function keyText(e: Expression): string | undefined {
  return isStringLiteral(e) ? stringLiteralValue(e) : undefined;
}

function piece(v: Value): StringPiece {
  if (typeof v === "string") return v;
  if (v instanceof Unknown || v instanceof Failure) return v;
  return unknown("dynamic");
}

function pieces(v: Value): StringPiece[] | undefined {
  if (typeof v === "string") return [v];
  if (v instanceof Unknown) return v.template ? [...v.template] : [v];
  return undefined;
}

/** How a version's value is set, from its configuration expression. */
function valueSource(arg: string, expr: Json | undefined): ValueSource {
  if (arg === "secret_string_wo") return "write-only";
  if (!isObj(expr)) return "unknown";
  const refs = collectRefs(expr);
  if (refs.length === 0) return "literal";
  if (refs.some((r) => r.startsWith("ephemeral."))) return "ephemeral";
  if (refs.some((r) => r.startsWith("data."))) return "data";
  if (refs.some((r) => r.startsWith("var."))) return "variable";
  if (refs.some((r) => /^random_/.test(r))) return "resource";
  if (refs.every((r) => r.startsWith("local."))) return "unknown";
  return "resource";
}

/** The shape of a value, never the value: the text is parsed here and dropped. */
function shapeOf(arg: string, v: Value | undefined): ValueShape {
  if (arg === "secret_binary") return typeof v === "string" ? { kind: "binary" } : { kind: "unknown" };
  if (typeof v !== "string") return { kind: "unknown" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return { kind: "plain" };
  }
  if (isObj(parsed)) return { kind: "json-object", keys: Object.keys(parsed) };
  return { kind: "json-other" };
}

// ---------------------------------------------------------------- sources

/** Plan addresses → the resource instances of the project the plan was made from. */
class SourceMap {
  private readonly byAddress = new Map<string, ResourceInstance>();
  private readonly byDecl = new Map<string, ResourceInstance>();
  constructor(readonly ctx: CollectContext) {
    for (const inst of ctx.instances) {
      this.byAddress.set(inst.address, inst);
      const decl = stripKeys(inst.address);
      if (!this.byDecl.has(decl)) this.byDecl.set(decl, inst);
    }
  }
  /** The instance with this address; else (unknown count/for_each in the sources) one of its declaration. */
  find(address: string): ResourceInstance | undefined {
    return this.byAddress.get(address) ?? this.byDecl.get(stripKeys(address));
  }
}
