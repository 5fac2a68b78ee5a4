// Terraform → IAM in the inventory: policies and their statements (each at its own place in
// the source), the principals they are attached to, secrets' resource policies, the built-in
// models of Sym's registry modules, and the Sym access policies (tag conditions) among them.
//
// Policies come from aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy,
// aws_iam_group_policy, aws_iam_role inline_policy blocks, data aws_iam_policy_document (kind
// "document" unless something uses it), aws_secretsmanager_secret(_policy) (→ the secret's
// resourcePolicy). A policy argument is followed through locals, module variables (local
// modules) and module outputs to what it is written as: jsonencode({...}) (statements at the
// object items), a policy document data source (its statement blocks), a heredoc or string of
// JSON (each statement object inside the text), file()/templatefile() (the call), or unknown.

import type { Attribute, Block, Expression, File } from "../../hcl/ast.js";
import type { IamPolicy, IamPrincipal, Located, Origin, PolicyDocument, PolicyStatement, PrincipalKind, Secret, SymAccessPolicy } from "../../inventory/model.js";
import { findAttr, labelOf, type ModuleConfig } from "../../terraform/config.js";
import { evaluate, type Scope } from "../../terraform/evaluate.js";
import { functions } from "../../terraform/functions/index.js";
import type { ModuleInstance, ResourceInstance } from "../../terraform/module.js";
import { Failure, ObjectValue, Unknown, joinPieces, knownString, knownSuffix, unknown, type Value } from "../../terraform/values.js";
import { argument, blocksOf, fileOrigin, instanceOrigin, writtenOrigin, type CollectContext, type InstanceKind } from "./context.js";
import { referencedExpression, resourceContext, traceArgument, type TraceContext } from "../../terraform/trace.js";
import { awsManagedPolicy } from "../../iam/managed-policies.js";
import { walkBody } from "./literals.js";
import {
  conditionValueOrigin,
  documentFrom,
  documentFromJson,
  hclSyntax,
  jsonProblem,
  jsonSyntax,
  leafNode,
  lineIndexFor,
  policyDocumentValue,
  policyValue,
  statementSyntax,
  templateJsonText,
  type SyntaxNode,
} from "./policy-json.js";
import { actionMatches } from "../../iam/actions.js";
import type { PolicyTargets } from "./links.js";

export function collectIam(ctx: CollectContext): void {
  new IamCollector(ctx).run();
}

/**
 * The order a collection of every root module at once gives the IAM entries of the inventory
 * (policies, principals, Sym access policies), by the stage of the collection that makes
 * them: a scan collects one root at a time (index.ts), then puts each list in this order, the
 * roots in theirs within a stage (a stable sort).
 */
export const iamOrder = new WeakMap<object, number>();

const STAGE = { principals: 1, models: 2, managed: 3, deferred: 4, attachments: 5, documents: 6, final: 10 } as const;

/**
 * The document one policy of a resource holds, read as collectIam reads it (statements at
 * their source places): `argument` names the attribute (`policy`), `{ inlinePolicy: n }` the
 * n-th `inline_policy` block of a role; for a policy document data source, its statements.
 * Used to place a plan's policies in the sources it was made from.
 */
export function sourcePolicyDocument(ctx: CollectContext, inst: ResourceInstance, which: string | { inlinePolicy: number }): PolicyDocument | undefined {
  return new IamCollector(ctx).documentOf(inst, which);
}

// ---------------------------------------------------------------- references

/**
 * Where an expression is written: its file, its module instance, the scope it is evaluated in
 * (and the `for_each` its `each` comes from): the tracer's context (src/terraform/trace.ts).
 */
type Place = TraceContext;

/** `{ key }`: an index already evaluated (a map key or tuple index the tracer hands over). */
type Step = { attr: string } | { index: Expression } | { key: string | number } | { splat: true };

/** What an expression refers to, after following locals, variables and local module outputs. */
type Target =
  | { kind: "expr"; expr: Expression; place: Place }
  | { kind: "instances"; instances: ResourceInstance[]; attr?: string }
  | { kind: "module-output"; caller: ModuleInstance; call: string; output: string };

/** `a.b[0].c` → root `a`, steps; undefined when the expression is not a traversal. */
function flatten(e: Expression): { root: string; steps: Step[] } | undefined {
  switch (e.type) {
    case "Variable":
      return { root: e.name, steps: [] };
    case "SplatItem":
      return { root: "", steps: [] };
    case "GetAttr": {
      const f = flatten(e.object);
      if (f) f.steps.push({ attr: e.name });
      return f;
    }
    case "Index": {
      const f = flatten(e.object);
      if (f) f.steps.push({ index: e.key });
      return f;
    }
    case "Splat": {
      const f = flatten(e.object);
      const each = flatten(e.each);
      if (!f || !each || each.root !== "") return undefined;
      f.steps.push({ splat: true }, ...each.steps);
      return f;
    }
    default:
      return undefined;
  }
}

function keyOf(v: Value): number | string | undefined {
  if (typeof v === "number" || typeof v === "string") return v;
  return undefined;
}

/** Follows an expression to what it refers to (depth-limited: reference chains are short). */
function resolveTarget(expr: Expression, place: Place, depth = 0): Target {
  const terminal: Target = { kind: "expr", expr, place };
  if (depth > 24) return terminal;
  if (expr.type === "Parens") return resolveTarget(expr.expr, place, depth + 1);
  if (expr.type === "Template" && expr.wrapped) return resolveTarget(expr.wrapped, place, depth + 1);
  let f = flatten(expr);
  if (!f || f.root === "") return terminal;
  // `resource.aws_x.y`: Terraform's explicit form of `aws_x.y`.
  const s0 = f.steps[0];
  if (f.root === "resource" && s0 && "attr" in s0) f = { root: s0.attr, steps: f.steps.slice(1) };
  const { root, steps } = f;
  const attrAt = (i: number): string | undefined => {
    const s = steps[i];
    return s && "attr" in s ? s.attr : undefined;
  };
  const m = place.module;
  switch (root) {
    case "local":
    case "var":
    case "each": {
      // Through the general tracer: the local's expression, the caller's argument in this
      // instance's scope (callers with count/for_each too), a root module's input (tfvars,
      // Terragrunt) or the variable's default, `each.value…` → the for_each item of this
      // instance's key; index steps evaluated where the reference is (`[count.index]`).
      const hop = referencedExpression(expr, place);
      if (!hop) return terminal;
      return navigate(hop.expr, hop.selectors.map((k): Step => (typeof k === "string" ? { attr: k } : { key: k })), hop.ctx, depth + 1) ?? terminal;
    }
    case "module": {
      const name = attrAt(0);
      if (!name || !m.config.modules.has(name)) return terminal;
      let i = 1;
      let key: Value | undefined;
      const s1 = steps[1];
      if (s1 && "index" in s1) {
        key = evaluate(s1.index, place.scope);
        i = 2;
      } else if (s1 && "splat" in s1) i = 2;
      const output = attrAt(i);
      if (!output) return terminal;
      const call = m.moduleCall(name);
      if (call.instances.length === 0) return { kind: "module-output", caller: m, call: name, output };
      let child: ModuleInstance | undefined;
      if (key !== undefined) {
        const k = keyOf(key);
        if (k === undefined) return terminal;
        const suffix = typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`;
        child = call.instances.find((c) => c.address.endsWith(suffix));
      } else if (call.instances.length === 1) child = call.instances[0];
      const decl = child?.config.outputs.get(output);
      const value = decl ? findAttr(decl.node.body, "value") : undefined;
      if (!child || !decl || !value) return terminal;
      // Index steps are evaluated where the reference is, not in the child module.
      const rest = steps.slice(i + 1).map((s): Step => {
        const k = "index" in s ? keyOf(evaluate(s.index, place.scope)) : undefined;
        return k === undefined ? s : { key: k };
      });
      return navigate(value.expr, rest, { file: decl.file, module: child, scope: child }, depth + 1) ?? terminal;
    }
    case "data":
    default: {
      const isData = root === "data";
      const type = isData ? attrAt(0) : root;
      const name = isData ? attrAt(1) : attrAt(0);
      if (!type || !name) return terminal;
      const declKey = `${type}.${name}`;
      const decls = isData ? m.config.dataSources : m.config.resources;
      if (!decls.has(declKey)) return terminal;
      const all = m.instancesOf(isData ? "data" : "managed", declKey);
      if (!Array.isArray(all)) return terminal;
      let i = isData ? 2 : 1;
      let instances = all;
      const s = steps[i];
      if (s && "index" in s) {
        const k = keyOf(evaluate(s.index, place.scope));
        if (k === undefined) return terminal;
        instances = all.filter((x) => x.key === k);
        i++;
      } else if (s && "splat" in s) i++;
      return { kind: "instances", instances, attr: attrAt(i) };
    }
    case "count":
    case "self":
    case "path":
    case "terraform":
      return terminal;
  }
}

/** Applies attribute/index steps to an object or tuple expression, then resolves the result. */
function navigate(expr: Expression, steps: Step[], place: Place, depth: number): Target | undefined {
  let e = expr;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let inner = e;
    for (let k = 0; k < 8 && (inner.type === "Parens" || (inner.type === "Template" && inner.wrapped)); k++) {
      inner = inner.type === "Parens" ? inner.expr : (inner as { wrapped: Expression }).wrapped;
    }
    if ("attr" in step && inner.type === "Object") {
      const item = inner.items.find((it) => (it.bareKey && it.key.type === "Variable" ? it.key.name : evaluate(it.key, place.scope)) === step.attr);
      if (!item) return undefined;
      e = item.value;
      continue;
    }
    if (("index" in step || "key" in step) && (inner.type === "Tuple" || inner.type === "Object")) {
      const k = "key" in step ? step.key : evaluate(step.index, place.scope);
      if (inner.type === "Tuple" && typeof k === "number" && inner.items[k]) {
        e = inner.items[k];
        continue;
      }
      if (inner.type === "Object" && typeof k === "string") {
        const item = inner.items.find((it) => (it.bareKey && it.key.type === "Variable" ? it.key.name : evaluate(it.key, place.scope)) === k);
        if (!item) return undefined;
        e = item.value;
        continue;
      }
      return undefined;
    }
    // A reference followed by more steps: resolve it, then keep the first attribute.
    const t = resolveTarget(inner, place, depth + 1);
    if (t.kind === "instances") return { ...t, attr: t.attr ?? ("attr" in step ? step.attr : undefined) };
    if (t.kind === "module-output") return t;
    if (t.kind === "expr" && t.expr !== inner) return navigate(t.expr, steps.slice(i), t.place, depth + 1);
    return undefined;
  }
  return resolveTarget(e, place, depth + 1);
}

// ---------------------------------------------------------------- Sym access policies

const READ_ACTION = "secretsmanager:getsecretvalue";
const TAG_CONDITION_OPS = /^(?:(?:ForAnyValue|ForAllValues):)?(StringEquals|StringLike|StringEqualsIgnoreCase)$/i;
const TAG_KEY = /^(?:secretsmanager|aws):ResourceTag\/(.+)$/i;


/** Whether a statement allows reading secret values (GetSecretValue or a wildcard covering it). */
function allowsSecretRead(st: PolicyStatement): boolean {
  if (st.effect.value !== "Allow" || !st.actions) return false;
  const actions = st.actions.value;
  if (!Array.isArray(actions)) return false;
  return actions.some((a) => typeof a === "string" && actionMatches(a, READ_ACTION));
}

/**
 * The Sym access policies among a policy's statements: an Allow of GetSecretValue under a
 * `StringEquals`/`StringLike` condition on `secretsmanager:ResourceTag/<Tag>` (or `aws:`),
 * one per condition value.
 */
export function symAccessPoliciesOf(policy: IamPolicy): SymAccessPolicy[] {
  const out: SymAccessPolicy[] = [];
  policy.document.statements.forEach((st, i) => {
    if (!allowsSecretRead(st) || !(st.condition?.value instanceof ObjectValue)) return;
    for (const [op, inner] of st.condition.value.entries) {
      if (!TAG_CONDITION_OPS.test(op) || !(inner instanceof ObjectValue)) continue;
      for (const [key, v] of inner.entries) {
        const m = TAG_KEY.exec(key);
        if (!m) continue;
        const tagName = m[1];
        const at = (n: SyntaxNode): Origin => fileOrigin(n.file, n.range, st.origin.address);
        const origin = conditionValueOrigin(statementSyntax(st), op, key, at) ?? st.condition.origin ?? st.origin;
        const values: Value[] = Array.isArray(v) ? v : [v];
        values.forEach((value, j) => {
          out.push({
            id: `${policy.id}#${st.sid ?? i}/${tagName}${values.length > 1 ? `[${j}]` : ""}`,
            tagName,
            environment: { value, origin },
            from: "policy",
            origin: st.origin,
          });
        });
      }
    }
  });
  return out;
}

// ---------------------------------------------------------------- built-in module models

type ModuleModel = "secretsmgr-addon" | "runtime-connector";

/** Which well-known module a `source` names (registry address, with or without host; git URLs of the same repositories). */
export function moduleModelOf(source: string | undefined): ModuleModel | undefined {
  if (!source) return undefined;
  const s = source.replace(/^registry\.terraform\.io\//, "").replace(/(?<!:)\/\/.*$/, "").replace(/\?.*$/, "").toLowerCase();
  if (/^symopsio\/secretsmgr-addon\/(aws|sym)$/.test(s) || /symopsio\/terraform-(aws|sym)-secretsmgr-addon(\.git)?$/.test(s)) return "secretsmgr-addon";
  if (/^symopsio\/runtime-connector\/aws$/.test(s) || /symopsio\/terraform-aws-runtime-connector(\.git)?$/.test(s)) return "runtime-connector";
  return undefined;
}

function titleOf(v: Value): Value {
  const title = functions.title;
  if (typeof v === "string" && title) return title([v], { baseDir: ".", readFile: () => undefined });
  if (typeof v === "string") return v.replace(/(^|[^\p{L}\p{N}_])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());
  return v instanceof Unknown || v instanceof Failure ? v : unknown("dynamic", "title()");
}

function keySuffix(k: number | string | undefined): string {
  return k === undefined ? "" : typeof k === "number" ? `[${k}]` : k === "*" ? "[*]" : `[${JSON.stringify(k)}]`;
}

/** What the models of one module call add, for references to its outputs. */
interface ModelRecord {
  model: ModuleModel;
  roles: IamPrincipal[];
  policies: IamPolicy[];
}

/** The root module instance a module instance belongs to (addresses repeat across roots). */
function rootOf(m: ModuleInstance): ModuleInstance {
  let r = m;
  while (r.parent) r = r.parent;
  return r;
}

// ---------------------------------------------------------------- the collector

const PRINCIPAL_TYPES: Record<string, PrincipalKind> = { aws_iam_role: "role", aws_iam_user: "user", aws_iam_group: "group", aws_ssoadmin_permission_set: "permission-set" };
/**
 * The instances IamCollector reads from the context's list: principals, the managed resources
 * its policy stage handles (its switch on the type, in run()), and policy documents.
 */
export const IAM_READ: readonly InstanceKind[] = [
  ...Object.keys(PRINCIPAL_TYPES).map((t): InstanceKind => `managed ${t}`),
  "managed aws_iam_policy",
  "managed aws_iam_role_policy",
  "managed aws_iam_user_policy",
  "managed aws_iam_group_policy",
  "managed aws_iam_role",
  "managed aws_iam_role_policy_attachment",
  "managed aws_iam_user_policy_attachment",
  "managed aws_iam_group_policy_attachment",
  "managed aws_iam_role_policy_attachments_exclusive",
  "managed aws_iam_user_policy_attachments_exclusive",
  "managed aws_iam_group_policy_attachments_exclusive",
  "managed aws_ssoadmin_permission_set_inline_policy",
  "managed aws_ssoadmin_managed_policy_attachment",
  "managed aws_ssoadmin_customer_managed_policy_attachment",
  "managed aws_iam_policy_attachment",
  "managed aws_secretsmanager_secret",
  "managed aws_secretsmanager_secret_policy",
  "data aws_iam_policy_document",
];
const INLINE_POLICY_TYPES: Record<string, PrincipalKind> = { aws_iam_role_policy: "role", aws_iam_user_policy: "user", aws_iam_group_policy: "group" };
const ATTACHMENT_TYPES: Record<string, PrincipalKind> = {
  aws_iam_role_policy_attachment: "role",
  aws_iam_user_policy_attachment: "user",
  aws_iam_group_policy_attachment: "group",
};
const EXCLUSIVE_ATTACHMENT_TYPES: Record<string, [PrincipalKind, string]> = {
  aws_iam_role_policy_attachments_exclusive: ["role", "role_name"],
  aws_iam_user_policy_attachments_exclusive: ["user", "user_name"],
  aws_iam_group_policy_attachments_exclusive: ["group", "group_name"],
};

/**
 * Internal indexes are by instance, not by id: two root modules of one scan may declare the
 * same address (the inventory ids are addresses all the same, as for secrets).
 */
/** JSON keys of a statement → the arguments of an aws_iam_policy_document `statement` block. */
const DOC_ARGS: Record<string, string> = {
  Sid: "sid",
  Effect: "effect",
  Action: "actions",
  NotAction: "not_actions",
  Resource: "resources",
  NotResource: "not_resources",
  Principal: "principals",
  NotPrincipal: "not_principals",
  Condition: "condition",
};

class IamCollector {
  private readonly files = new Map<string, File>();
  /** In order, each with the root module instance it belongs to. */
  private readonly principals: Array<{ p: IamPrincipal; root: ModuleInstance }> = [];
  private readonly principalByInst = new Map<ResourceInstance, IamPrincipal>();
  private readonly policies: Array<{ p: IamPolicy; root: ModuleInstance; inst?: ResourceInstance }> = [];
  private readonly policyByInst = new Map<ResourceInstance, IamPolicy>();
  /** Data documents used by something (a policy, another document, any resource argument). */
  private readonly consumed = new Set<ResourceInstance>();
  private readonly documents = new Map<ResourceInstance, PolicyDocument>();
  private readonly documentsInProgress = new Set<ResourceInstance>();
  /** Built-in models by calling module instance and call name. */
  private readonly models = new Map<ModuleInstance, Map<string, ModelRecord>>();
  /** Work that needs every principal and model first. */
  private readonly deferred: Array<() => void> = [];

  /** Which stage of `run` is making policies, principals and Sym access policies (see iamOrder). */
  private stage = 0;

  constructor(private readonly ctx: CollectContext) {}

  /**
   * A parsed file by the name findings show: those of the module instances collected, then the
   * project's variables files and extension files (what projectFiles lists, without walking every
   * module of the project for each collection).
   */
  private fileNamed(name: string): File | undefined {
    if (this.files.size === 0) {
      const add = (f: File) => {
        if (!this.files.has(f.fileName)) this.files.set(f.fileName, f);
      };
      for (const m of this.ctx.modules) for (const f of m.config.files) add(f);
      for (const c of this.ctx.project.checkedConfigs) for (const f of c.files) add(f);
      for (const f of this.ctx.project.inputFiles) add(f);
      for (const f of this.ctx.project.extraFiles) add(f);
    }
    return this.files.get(name);
  }

  run(): void {
    const { ctx } = this;
    const managed = ctx.instances.filter((i) => i.mode === "managed");
    this.stage = STAGE.principals;
    for (const inst of managed) {
      const kind = PRINCIPAL_TYPES[inst.type];
      if (kind) {
        // Not set in the configuration: the evaluator's model of the ARN (account unknown).
        const arn = inst.value.readAttribute("arn");
        this.addPrincipal({ id: this.ctx.idOf(inst), kind, name: argument(inst, "name"), ...(arn !== undefined ? { arn } : {}), origin: instanceOrigin(inst) }, rootOf(inst.module), inst);
      }
    }
    this.stage = STAGE.models;
    this.collectModuleModels();

    this.stage = STAGE.managed;
    const attachments: Array<() => void> = [];
    for (const inst of managed) {
      switch (inst.type) {
        case "aws_iam_policy":
          this.addPolicy(inst, "managed", argument(inst, "name"), this.policyArgument(inst, "policy"));
          break;
        case "aws_iam_role_policy":
        case "aws_iam_user_policy":
        case "aws_iam_group_policy": {
          const kind = INLINE_POLICY_TYPES[inst.type];
          const policy = this.addPolicy(inst, "inline", argument(inst, "name"), this.policyArgument(inst, "policy"));
          attachments.push(() => this.attach([policy], this.principalsFor(inst, kind, kind)));
          break;
        }
        case "aws_iam_role": {
          this.inlinePolicyBlocks(inst);
          const assume = findAttr(inst.block.body, "assume_role_policy");
          if (assume) this.markConsumed(assume.expr, this.placeOf(inst));
          if (findAttr(inst.block.body, "managed_policy_arns")) {
            const self = this.principalByInst.get(inst);
            attachments.push(() => this.attach(this.policiesFor(inst, "managed_policy_arns"), self ? [self] : []));
          }
          break;
        }
        case "aws_iam_role_policy_attachment":
        case "aws_iam_user_policy_attachment":
        case "aws_iam_group_policy_attachment": {
          const kind = ATTACHMENT_TYPES[inst.type];
          attachments.push(() => this.attach(this.policiesFor(inst, "policy_arn"), this.principalsFor(inst, kind, kind)));
          break;
        }
        case "aws_iam_role_policy_attachments_exclusive":
        case "aws_iam_user_policy_attachments_exclusive":
        case "aws_iam_group_policy_attachments_exclusive": {
          const [kind, arg] = EXCLUSIVE_ATTACHMENT_TYPES[inst.type];
          attachments.push(() => this.attach(this.policiesFor(inst, "policy_arns"), this.principalsFor(inst, arg, kind)));
          break;
        }
        case "aws_ssoadmin_permission_set_inline_policy": {
          // The permission set's inline policy: its holders are the users assigned the set.
          const policy = this.addPolicy(inst, "inline", { value: null, origin: instanceOrigin(inst) }, this.policyArgument(inst, "inline_policy"));
          attachments.push(() => this.attach([policy], this.principalsFor(inst, "permission_set_arn", "permission-set")));
          break;
        }
        case "aws_ssoadmin_managed_policy_attachment":
          attachments.push(() => this.attach(this.policiesFor(inst, "managed_policy_arn"), this.principalsFor(inst, "permission_set_arn", "permission-set")));
          break;
        case "aws_ssoadmin_customer_managed_policy_attachment": {
          // A customer managed policy by name (created in each account the set is provisioned to).
          const ref = blocksOf(inst.block.body, "customer_managed_policy_reference")[0];
          const nameAttr = ref ? findAttr(ref.body, "name") : undefined;
          if (!nameAttr) break;
          const name = evaluate(nameAttr.expr, inst.scope);
          const root = rootOf(inst.module);
          attachments.push(() =>
            this.attach(
              typeof name === "string" ? this.policies.filter(({ p, root: r }) => r === root && p.kind === "managed" && p.name.value === name).map(({ p }) => p) : [],
              this.principalsFor(inst, "permission_set_arn", "permission-set"),
            ),
          );
          break;
        }
        case "aws_iam_policy_attachment":
          attachments.push(() =>
            this.attach(this.policiesFor(inst, "policy_arn"), [
              ...this.principalsFor(inst, "roles", "role"),
              ...this.principalsFor(inst, "users", "user"),
              ...this.principalsFor(inst, "groups", "group"),
            ]),
          );
          break;
        case "aws_secretsmanager_secret": {
          const secret = this.secretOf(inst);
          if (secret && !ctx.links.hasExplicitPolicy(secret) && findAttr(inst.block.body, "policy")) ctx.links.ownPolicy(secret, this.policyArgument(inst, "policy"));
          break;
        }
        case "aws_secretsmanager_secret_policy": {
          const doc = this.policyArgument(inst, "policy");
          // An explicit secret policy resource wins over the secret's own `policy` argument.
          ctx.links.explicitPolicy(this.secretsFor(inst, "secret_arn"), doc);
          break;
        }
      }
    }
    this.stage = STAGE.deferred;
    for (const a of this.deferred) a();
    this.stage = STAGE.attachments;
    for (const a of attachments) a();

    // Documents any resource uses elsewhere (a KMS key policy, a trust policy…) are not IAM policies here.
    for (const m of this.ctx.modules) {
      for (const declKey of documentsReferenced(m.config)) {
        const all = m.instancesOf("data", declKey);
        if (Array.isArray(all)) for (const i of all) this.consumed.add(i);
      }
    }
    // Build every document first: merging one into another uses it.
    this.stage = STAGE.documents;
    const docs = ctx.instances.filter((i) => i.mode === "data" && i.type === "aws_iam_policy_document");
    for (const inst of docs) this.dataDocument(inst);
    for (const inst of docs) {
      if (this.consumed.has(inst)) continue;
      this.addPolicy(inst, "document", { value: inst.address, origin: instanceOrigin(inst) }, this.dataDocument(inst));
    }

    for (const { p } of this.policies) {
      ctx.inventory.iamPolicies.push(p);
      if (p.kind !== "module" && p.kind !== "aws-managed") {
        for (const sap of symAccessPoliciesOf(p)) {
          iamOrder.set(sap, STAGE.final + (iamOrder.get(p) ?? 0));
          ctx.inventory.symAccessPolicies.push(sap);
        }
      }
    }
    for (const { p } of this.principals) ctx.inventory.iamPrincipals.push(p);
  }

  documentOf(inst: ResourceInstance, which: string | { inlinePolicy: number }): PolicyDocument | undefined {
    if (inst.mode === "data" && inst.type === "aws_iam_policy_document") return this.dataDocument(inst);
    if (typeof which === "string") return findAttr(inst.block.body, which) ? this.policyArgument(inst, which) : undefined;
    const b = blocksOf(inst.block.body, "inline_policy")[which.inlinePolicy];
    const attr = b ? findAttr(b.body, "policy") : undefined;
    if (!attr) return undefined;
    return this.documentFromExpr(attr.expr, evaluate(attr.expr, inst.scope), this.placeOf(inst), fileOrigin(inst.file, attr.range, inst.address), inst.address);
  }

  // ------------------------------------------------------------ helpers

  private placeOf(inst: ResourceInstance): Place {
    return resourceContext(inst);
  }

  private addPrincipal(p: IamPrincipal, root: ModuleInstance, inst?: ResourceInstance): IamPrincipal {
    iamOrder.set(p, this.stage);
    this.principals.push({ p, root });
    if (inst) this.principalByInst.set(inst, p);
    return p;
  }

  /** A policy a resource (or data) instance is: its id is the instance's address. */
  private addPolicy(inst: ResourceInstance, kind: IamPolicy["kind"], name: Located, doc: PolicyDocument): IamPolicy {
    const p = this.addPolicyWith(this.ctx.idOf(inst), kind, name, doc, instanceOrigin(inst), rootOf(inst.module), inst);
    this.policyByInst.set(inst, p);
    return p;
  }

  private addPolicyWith(id: string, kind: IamPolicy["kind"], name: Located, document: PolicyDocument, origin: Origin, root: ModuleInstance, inst?: ResourceInstance): IamPolicy {
    const p: IamPolicy = { id, kind, name, document, attachedTo: [], origin };
    iamOrder.set(p, this.stage);
    this.policies.push({ p, root, inst });
    return p;
  }

  private attach(policies: IamPolicy[], principals: IamPrincipal[]): void {
    for (const p of policies) {
      for (const r of principals) if (!p.attachedTo.includes(r.id)) p.attachedTo.push(r.id);
    }
  }

  /** The inventory's secret of an aws_secretsmanager_secret instance (collectSecrets made it). */
  private secretOf(inst: ResourceInstance): Secret | undefined {
    const same = this.secretsWithId(this.ctx.idOf(inst));
    return same.length <= 1 ? same[0] : same.find((s) => s.origin.file?.path === inst.file);
  }

  /** The inventory's secrets by id, indexed once (a filter per lookup was quadratic: 2 roots × 4,000 secrets took 16 s). */
  private secretsById: { count: number; map: Map<string, Secret[]> } | undefined;
  private secretsWithId(id: string): Secret[] {
    const all = this.ctx.inventory.secrets;
    if (this.secretsById?.count !== all.length) {
      const map = new Map<string, Secret[]>();
      for (const s of all) {
        const list = map.get(s.id);
        if (list) list.push(s);
        else map.set(s.id, [s]);
      }
      this.secretsById = { count: all.length, map };
    }
    return this.secretsById.map.get(id) ?? [];
  }

  /** A policy argument of a resource (`policy`), as a document. */
  private policyArgument(inst: ResourceInstance, name: string): PolicyDocument {
    const attr = findAttr(inst.block.body, name);
    const loc = argument(inst, name);
    const origin = loc.origin ?? instanceOrigin(inst);
    if (!attr) return { statements: [], complete: false, origin };
    return this.documentFromExpr(attr.expr, loc.value, this.placeOf(inst), origin, inst.address);
  }

  private atFor(address: string | undefined): (n: SyntaxNode) => Origin {
    return (n) => fileOrigin(n.file, n.range, address);
  }

  /**
   * A policy document from the expression that sets it and its evaluated value: statements from
   * the value, placed where the expression (followed through references) writes each of them.
   */
  private documentFromExpr(expr: Expression, value: Value, place: Place, origin: Origin, address: string): PolicyDocument {
    const target = resolveTarget(expr, place);
    const at = this.atFor(address);
    if (target.kind === "instances" && target.instances.length === 1) {
      const doc = target.instances[0];
      if (doc.mode === "data" && doc.type === "aws_iam_policy_document" && (target.attr === "json" || target.attr === "minified_json")) {
        this.consumed.add(doc);
        const d = this.dataDocument(doc);
        return { statements: d.statements, complete: d.complete, origin };
      }
    }
    if (target.kind === "instances") for (const i of target.instances) if (i.type === "aws_iam_policy_document") this.consumed.add(i);
    let syntax: SyntaxNode | undefined;
    let fallback = origin;
    if (target.kind === "expr") {
      const e = target.expr;
      const tp = target.place;
      if (e.type === "FunctionCall" && e.name === "jsonencode" && e.args.length === 1) {
        syntax = hclSyntax(e.args[0], tp.scope, tp.file, (x, s, f) => this.resolveForSyntax(x, s, f, tp.module));
        // Documents jsonencode'd whole (`jsonencode(local.doc)`) come through resolveForSyntax too.
      } else if (e.type === "Template" && !e.wrapped) {
        const file = this.fileNamed(tp.file);
        const mapped = file ? templateJsonText(e, file.source, tp.file.endsWith(".json")) : undefined;
        if (file && mapped) {
          syntax = jsonSyntax(mapped, lineIndexFor(file, file.source), tp.file);
          // AWS parses policies strictly: a trailing comma or a comment makes it reject them.
          const problem = policyValue(value) instanceof Failure ? jsonProblem(mapped, lineIndexFor(file, file.source)) : undefined;
          if (problem) {
            const doc = documentFrom(policyValue(value), origin, syntax, at, fallback);
            doc.problems = [{ message: `the policy is not valid JSON: ${problem.message}`, origin: fileOrigin(tp.file, problem.range, address) }];
            return doc;
          }
        }
        if (!syntax) fallback = fileOrigin(tp.file, e.range, address);
      } else if (e.type === "FunctionCall" && /^(file|templatefile|templatestring)$/.test(e.name)) {
        fallback = fileOrigin(tp.file, e.range, address);
      } else if (e !== expr) {
        fallback = fileOrigin(tp.file, e.range, address);
      }
    }
    return documentFrom(policyValue(value), origin, syntax, at, fallback);
  }

  /** For hclSyntax: follows locals and variables to the expression that writes the value. */
  private resolveForSyntax(e: Expression, scope: Scope, file: string, module: ModuleInstance): { expr: Expression; scope: Scope; file: string } | undefined {
    if (!flatten(e)) return undefined;
    const t = resolveTarget(e, { file, module, scope });
    return t.kind === "expr" && t.expr !== e ? { expr: t.expr, scope: t.place.scope, file: t.place.file } : undefined;
  }

  /** Marks the policy documents an expression refers to as used. */
  private markConsumed(expr: Expression, place: Place): void {
    const t = resolveTarget(expr, place);
    if (t.kind === "instances") for (const i of t.instances) if (i.type === "aws_iam_policy_document") this.consumed.add(i);
  }

  /** An aws_iam_policy_document's statements, each at its `statement` block (merged documents included). */
  private dataDocument(inst: ResourceInstance): PolicyDocument {
    const have = this.documents.get(inst);
    if (have) return have;
    const origin = instanceOrigin(inst);
    if (this.documentsInProgress.has(inst)) return { statements: [], complete: false, origin };
    this.documentsInProgress.add(inst);
    try {
      const nodes = this.statementNodes(inst);
      const syntax: SyntaxNode = {
        file: inst.file,
        range: inst.block.range,
        get: (k) => (k === "Statement" ? { file: inst.file, range: inst.block.range, get: (i) => (typeof i === "number" ? nodes[i] : undefined) } : undefined),
      };
      const own = new ObjectValue([...inst.value.entries].filter(([k]) => k !== "source_policy_documents" && k !== "override_policy_documents"));
      const ownDoc = documentFrom(policyDocumentValue(own), origin, syntax, this.atFor(inst.address));
      let doc = ownDoc;
      const sources = findAttr(inst.block.body, "source_policy_documents");
      const overrides = findAttr(inst.block.body, "override_policy_documents");
      if (sources || overrides) {
        const merged: PolicyStatement[] = [];
        let complete = ownDoc.complete;
        const bySid = (list: PolicyStatement[], st: PolicyStatement) => {
          const i = st.sid ? list.findIndex((x) => x.sid === st.sid) : -1;
          if (i >= 0) list[i] = st;
          else list.push(st);
        };
        const docsOf = (attrName: string): PolicyDocument[] => {
          const attr = findAttr(inst.block.body, attrName);
          if (!attr) return [];
          const place = this.placeOf(inst);
          const list = attr.expr.type === "Tuple" ? attr.expr.items : undefined;
          const values = inst.value.get(attrName);
          if (!Array.isArray(values)) {
            complete = false;
            return [];
          }
          return values.map((v, i) => {
            const item = list && list.length === values.length ? list[i] : undefined;
            const o = fileOrigin(inst.file, (item ?? attr).range, inst.address);
            return item ? this.documentFromExpr(item, v, place, o, inst.address) : documentFrom(policyValue(v), o, undefined, this.atFor(inst.address));
          });
        };
        for (const d of docsOf("source_policy_documents")) {
          merged.push(...d.statements);
          complete &&= d.complete;
        }
        for (const st of ownDoc.statements) bySid(merged, st);
        for (const d of docsOf("override_policy_documents")) {
          for (const st of d.statements) bySid(merged, st);
          complete &&= d.complete;
        }
        doc = { statements: merged, complete, origin };
      }
      this.documents.set(inst, doc);
      return doc;
    } finally {
      this.documentsInProgress.delete(inst);
    }
  }

  /** Syntax nodes of a policy document's statements, in the order its value lists them. */
  private statementNodes(inst: ResourceInstance): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    // JSON syntax (.tf.json) has no blocks without a schema: `"statement": [{…}, …]` is an attribute.
    const attr = findAttr(inst.block.body, "statement");
    if (attr) {
      const items = attr.expr.type === "Tuple" ? attr.expr.items : attr.expr.type === "Object" ? [attr.expr] : [];
      for (const item of items) {
        const n = hclSyntax(item, inst.scope, inst.file);
        out.push({ file: inst.file, range: item.range, get: (k) => (typeof k === "string" && DOC_ARGS[k] ? n.get(DOC_ARGS[k]) : undefined) });
      }
      return out;
    }
    for (const b of inst.block.body.blocks) {
      if (b.blockType === "statement") out.push(this.docStatementNode(inst, b, b));
      else if (b.blockType === "dynamic" && labelOf(b, 0) === "statement") {
        const forEach = findAttr(b.body, "for_each");
        const content = b.body.blocks.find((x) => x.blockType === "content");
        if (!forEach || !content) continue;
        const coll = evaluate(forEach.expr, inst.scope);
        const n = coll instanceof ObjectValue ? coll.size : Array.isArray(coll) ? coll.length : 0;
        for (let i = 0; i < n; i++) out.push(this.docStatementNode(inst, content, b));
      }
    }
    return out;
  }

  /** A `statement` block as a syntax node with JSON keys (actions → Action…). */
  private docStatementNode(inst: ResourceInstance, block: Block, rangeBlock: Block): SyntaxNode {
    const file = inst.file;
    const attrNode = (name: string): SyntaxNode | undefined => {
      const a = findAttr(block.body, name);
      return a ? leafNode(file, a.range) : undefined;
    };
    const blockNode = (type: string): SyntaxNode | undefined => {
      const b = block.body.blocks.find((x) => x.blockType === type || (x.blockType === "dynamic" && labelOf(x, 0) === type));
      return b ? leafNode(file, b.range) : undefined;
    };
    const text = (b: Block, name: string): Value | undefined => {
      const a = findAttr(b.body, name);
      return a ? evaluate(a.expr, inst.scope) : undefined;
    };
    const conditions = block.body.blocks.filter((x) => x.blockType === "condition");
    const condNode: SyntaxNode | undefined = conditions.length
      ? {
          file,
          range: conditions[0].range,
          get: (test) => {
            const forTest = conditions.filter((c) => text(c, "test") === test);
            if (forTest.length === 0) return undefined;
            return {
              file,
              range: forTest[0].range,
              get: (variable) => {
                const c = forTest.find((x) => text(x, "variable") === variable);
                const values = c ? findAttr(c.body, "values") : undefined;
                return c ? leafNode(file, (values ?? c).range) : undefined;
              },
            };
          },
        }
      : undefined;
    const keys: Record<string, () => SyntaxNode | undefined> = {
      Sid: () => attrNode("sid"),
      Effect: () => attrNode("effect"),
      Action: () => attrNode("actions"),
      NotAction: () => attrNode("not_actions"),
      Resource: () => attrNode("resources"),
      NotResource: () => attrNode("not_resources"),
      Principal: () => blockNode("principals"),
      NotPrincipal: () => blockNode("not_principals"),
      Condition: () => condNode,
    };
    return { file, range: rangeBlock.range, get: (k) => (typeof k === "string" ? keys[k]?.() : undefined) };
  }

  // ------------------------------------------------------------ matching

  /** Principals of a kind an argument names (by reference, else by known name or ARN). */
  private principalsFor(inst: ResourceInstance, arg: string, kind: PrincipalKind): IamPrincipal[] {
    const attr = findAttr(inst.block.body, arg);
    if (!attr) return [];
    return this.principalsFromExpr(attr.expr, inst.value.get(arg) ?? null, this.placeOf(inst), kind);
  }

  private principalsFromExpr(expr: Expression, value: Value, place: Place, kind: PrincipalKind): IamPrincipal[] {
    const t = resolveTarget(expr, place);
    if (t.kind === "instances") {
      const found = t.instances.filter((i) => PRINCIPAL_TYPES[i.type] === kind).flatMap((i) => this.principalByInst.get(i) ?? []);
      if (found.length > 0) return found;
    }
    if (t.kind === "module-output") {
      const rec = this.models.get(t.caller)?.get(t.call);
      if (rec && kind === "role" && /role/i.test(t.output) && rec.roles.length > 0) return rec.roles;
    }
    if (t.kind === "expr" && t.expr.type === "Tuple") {
      const values = Array.isArray(value) ? value : [];
      return t.expr.items.flatMap((item, i) => this.principalsFromExpr(item, values[i] ?? unknown("dynamic"), t.place, kind));
    }
    const out: IamPrincipal[] = [];
    const root = rootOf(place.module);
    for (const v of Array.isArray(value) ? value : [value]) {
      const s = knownString(v);
      if (s === undefined) continue;
      const name = s.startsWith("arn:") ? s.slice(s.lastIndexOf("/") + 1) : s;
      for (const { p, root: r } of this.principals) if (r === root && p.kind === kind && p.name.value === name) out.push(p);
    }
    return out;
  }

  /** Managed policies an argument names (`policy_arn`, `managed_policy_arns`…): the configuration's, and AWS managed ones by ARN. */
  private policiesFor(inst: ResourceInstance, arg: string): IamPolicy[] {
    const attr = findAttr(inst.block.body, arg);
    if (!attr) return [];
    const value = inst.value.get(arg) ?? null;
    return [...this.policiesFromExpr(attr.expr, value, this.placeOf(inst)), ...this.awsManagedPoliciesFor(inst, attr, value)];
  }

  /**
   * The AWS managed policies an argument attaches by ARN (`arn:aws:iam::aws:policy/…`, any
   * partition, known or from a template with the name known): one policy per place that
   * attaches it, its statements placed there (where the ARN is written). A policy the shipped
   * table does not know has unknown statements.
   */
  private awsManagedPoliciesFor(inst: ResourceInstance, attr: Attribute, value: Value): IamPolicy[] {
    const out: IamPolicy[] = [];
    const items = Array.isArray(value) ? value : [value];
    items.forEach((v, i) => {
      const text = knownString(v) ?? (v instanceof Unknown && v.template ? knownSuffix(v) : undefined);
      const m = text ? /(?:^arn:[^:]*|^):iam::aws:policy(\/.+)$/.exec(text) : null;
      if (!m) return;
      const tail = m[1] as string;
      const origin = writtenOrigin(traceArgument(attr, resourceContext(inst), inst.address, Array.isArray(value) ? [i] : []), inst.address);
      const id = `${this.ctx.idOf(inst)}.${attr.name}${Array.isArray(value) ? `[${i}]` : ""}`;
      const found = awsManagedPolicy(tail);
      const name = tail.slice(tail.lastIndexOf("/") + 1);
      const document: PolicyDocument = !found.known
        ? { statements: [], complete: false, origin }
        : found.document === null
          ? { statements: [], complete: true, origin }
          : documentFromJson(found.document, origin);
      out.push(this.addPolicyWith(id, "aws-managed", { value: name, origin }, document, origin, rootOf(inst.module)));
    });
    return out;
  }

  /**
   * A role's `inline_policy` blocks, `dynamic "inline_policy"` ones expanded (each element a
   * policy placed at the content's `policy`): each an inline policy of the role.
   */
  private inlinePolicyBlocks(inst: ResourceInstance): void {
    const roleId = this.ctx.idOf(inst);
    const root = rootOf(inst.module);
    const values = inst.value.get("inline_policy");
    let k = 0; // index into the evaluated blocks (static and expanded dynamic ones, in order)
    let staticIndex = 0;
    for (const b of inst.block.body.blocks) {
      if (b.blockType === "inline_policy") {
        const i = staticIndex++;
        k++;
        const nameAttr = findAttr(b.body, "name");
        const name: Located = nameAttr
          ? { value: evaluate(nameAttr.expr, inst.scope), origin: fileOrigin(inst.file, nameAttr.range, inst.address) }
          : { value: null, origin: fileOrigin(inst.file, b.range, inst.address) };
        const policyAttr = findAttr(b.body, "policy");
        const doc = policyAttr
          ? this.documentFromExpr(policyAttr.expr, evaluate(policyAttr.expr, inst.scope), this.placeOf(inst), fileOrigin(inst.file, policyAttr.range, inst.address), inst.address)
          : { statements: [], complete: true, origin: fileOrigin(inst.file, b.range, inst.address) };
        const policy = this.addPolicyWith(`${roleId}.inline_policy[${i}]`, "inline", name, doc, fileOrigin(inst.file, b.range, inst.address), root);
        policy.attachedTo.push(roleId);
      } else if (b.blockType === "dynamic" && labelOf(b, 0) === "inline_policy") {
        const content = b.body.blocks.find((x) => x.blockType === "content");
        const policyAttr = content ? findAttr(content.body, "policy") : undefined;
        const at = fileOrigin(inst.file, (policyAttr ?? b).range, inst.address);
        const forEach = findAttr(b.body, "for_each");
        const coll = forEach ? evaluate(forEach.expr, inst.scope) : null;
        const n = coll instanceof ObjectValue ? coll.size : Array.isArray(coll) ? coll.length : undefined;
        if (n === undefined || !Array.isArray(values)) {
          // Which policies the role gets is not known: they may grant or deny anything.
          const policy = this.addPolicyWith(`${roleId}.inline_policy[dynamic]`, "inline", { value: null, origin: at }, { statements: [], complete: false, origin: at }, at, root);
          policy.attachedTo.push(roleId);
          continue;
        }
        for (let j = 0; j < n; j++) {
          const v = values[k++];
          const obj = v instanceof ObjectValue ? v : undefined;
          const doc = documentFrom(policyValue(obj?.get("policy") ?? unknown("dynamic")), at, undefined, this.atFor(inst.address), at);
          const policy = this.addPolicyWith(`${roleId}.inline_policy[dynamic ${j}]`, "inline", { value: obj?.get("name") ?? null, origin: at }, doc, at, root);
          policy.attachedTo.push(roleId);
        }
      }
    }
  }

  private policiesFromExpr(expr: Expression, value: Value, place: Place): IamPolicy[] {
    const t = resolveTarget(expr, place);
    if (t.kind === "instances") {
      const found = t.instances.filter((i) => i.type === "aws_iam_policy").flatMap((i) => this.policyByInst.get(i) ?? []);
      if (found.length > 0) return found;
    }
    if (t.kind === "module-output") {
      const rec = this.models.get(t.caller)?.get(t.call);
      if (rec && /policy/i.test(t.output)) return rec.policies;
    }
    if (t.kind === "expr" && t.expr.type === "Tuple") {
      const values = Array.isArray(value) ? value : [];
      return t.expr.items.flatMap((item, i) => this.policiesFromExpr(item, values[i] ?? unknown("dynamic"), t.place));
    }
    const out: IamPolicy[] = [];
    const root = rootOf(place.module);
    for (const v of Array.isArray(value) ? value : [value]) {
      const s = knownString(v);
      const m = s ? /^arn:[^:]+:iam::([^:]*):policy(\/.*\/|\/)([^/]+)$/.exec(s) : null;
      if (!m || m[1] === "aws") continue;
      for (const { p, root: r, inst } of this.policies) {
        if (r !== root || p.kind !== "managed" || p.name.value !== m[3]) continue;
        const path = inst?.value.has("path") ? inst.value.get("path") : "/";
        if (typeof path !== "string" || path === m[2]) out.push(p);
      }
    }
    return out;
  }

  /** Secrets a `secret_arn` names: by reference, else by a known ARN (or name), decided by the links (links.ts). */
  private secretsFor(inst: ResourceInstance, arg: string): PolicyTargets {
    const attr = findAttr(inst.block.body, arg);
    if (!attr) return { local: [] };
    const t = resolveTarget(attr.expr, this.placeOf(inst));
    if (t.kind === "instances") {
      const found = t.instances.filter((i) => i.type === "aws_secretsmanager_secret").flatMap((i) => this.secretOf(i) ?? []);
      if (found.length > 0) return { local: found };
    }
    const s = knownString(inst.value.get(arg));
    return s === undefined ? { local: [] } : { local: [], text: s };
  }

  // ------------------------------------------------------------ module models

  private collectModuleModels(): void {
    for (const m of this.ctx.modules) {
      for (const [name, decl] of m.config.modules) {
        const call = m.moduleCall(name);
        const model = moduleModelOf(call.source);
        // A module Terraform has downloaded is evaluated for real: no model then.
        if (!model || call.instances.length > 0) continue;
        const keys = call.keys;
        const rec: ModelRecord = { model, roles: [], policies: [] };
        let byCall = this.models.get(m);
        if (!byCall) {
          byCall = new Map();
          this.models.set(m, byCall);
        }
        byCall.set(name, rec);
        const root = rootOf(m);
        call.inputs.forEach((inputs, i) => {
          const address = `${m.address ? m.address + "." : ""}module.${name}${keySuffix(keys[i])}`;
          const blockOrigin = fileOrigin(decl.file, decl.node.range, address);
          const input = (n: string): Located | undefined => {
            const attr = findAttr(decl.node.body, n);
            if (!attr) return undefined;
            return { value: inputs.get(n) ?? null, origin: fileOrigin(decl.file, attr.range, address) };
          };
          const place: Place = { file: decl.file, module: m, scope: m };
          if (model === "secretsmgr-addon") {
            const environment = input("environment") ?? { value: unknown("variable", `${address}: environment`), origin: blockOrigin };
            const tag = input("tag_name");
            const policy = this.addonModel(address, environment, tag?.value ?? "SymEnv", blockOrigin, root);
            rec.policies.push(policy);
            const role = findAttr(decl.node.body, "iam_role_name");
            if (role) {
              this.deferred.push(() => this.attach([policy], this.principalsFromExpr(role.expr, inputs.get("iam_role_name") ?? null, place, "role")));
            }
          } else {
            // Sym's runtime connector: the role `SymRuntime<Title(env)>` in /sym/ (v1 `environment`, v2 `environment_name`).
            const v2 = findAttr(decl.node.body, "environment_name") !== undefined;
            const environment = input(v2 ? "environment_name" : "environment") ?? { value: unknown("variable", `${address}: environment`), origin: blockOrigin };
            const role = this.addPrincipal(
              {
                id: `${address}.aws_iam_role.${v2 ? "sym_runtime_connector_role" : "this"}`,
                kind: "role",
                name: { value: joinPieces(["SymRuntime", ...piecesOf(titleOf(environment.value))]), origin: environment.origin },
                origin: blockOrigin,
              },
              root,
            );
            rec.roles.push(role);
            // v1's `addons = ["aws/secretsmgr"]` calls the secrets manager addon inside.
            const addons = inputs.get("addons");
            if (Array.isArray(addons) && addons.includes("aws/secretsmgr")) {
              const params = inputs.get("addon_params");
              const own = params instanceof ObjectValue ? params.get("aws/secretsmgr") : undefined;
              const paramOrigin = input("addon_params")?.origin ?? blockOrigin;
              const tagValue = own instanceof ObjectValue ? own.get("tag_value") : undefined;
              const tagName = own instanceof ObjectValue ? own.get("tag_name") : undefined;
              const policy = this.addonModel(
                `${address}.module.aws_secretsmgr[0]`,
                tagValue !== undefined ? { value: tagValue, origin: paramOrigin } : environment,
                tagName ?? (params === undefined || params instanceof ObjectValue ? "SymEnv" : unknown("variable", "addon_params")),
                blockOrigin,
                root,
              );
              this.attach([policy], [role]);
              rec.policies.push(policy);
            }
          }
        });
      }
    }
  }

  /** The secretsmgr-addon's policy: DescribeSecret and GetSecretValue on `*` where the tag equals the environment. */
  private addonModel(address: string, environment: Located, tagName: Value, origin: Origin, root: ModuleInstance): IamPolicy {
    const conditionKey = typeof tagName === "string" ? `secretsmanager:ResourceTag/${tagName}` : undefined;
    const condition: Value = conditionKey
      ? ObjectValue.from({ StringEquals: ObjectValue.from({ [conditionKey]: environment.value }) })
      : unknown("variable", "the addon's tag_name");
    const st: PolicyStatement = {
      effect: { value: "Allow", origin },
      actions: { value: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], origin },
      resources: { value: ["*"], origin },
      condition: { value: condition, origin: environment.origin ?? origin },
      origin,
    };
    const policy = this.addPolicyWith(
      `${address}.aws_iam_policy.this`,
      "module",
      { value: joinPieces(["SymSecretsManager", ...piecesOf(titleOf(environment.value))]), origin: environment.origin },
      { statements: [st], complete: true, origin },
      origin,
      root,
    );
    if (typeof tagName === "string") {
      const sap: SymAccessPolicy = { id: address, tagName, environment, from: "secretsmgr-addon", origin };
      iamOrder.set(sap, this.stage);
      this.ctx.inventory.symAccessPolicies.push(sap);
    }
    return policy;
  }
}

/** documentsReferenced by configuration: a shared module's is walked once, not once per root module calling it. */
const referencedDocuments = new WeakMap<ModuleConfig, Set<string>>();

/** The policy document data sources (`type.name`) a module's resources refer to. */
function documentsReferenced(config: ModuleConfig): Set<string> {
  let out = referencedDocuments.get(config);
  if (!out) {
    out = findDocumentsReferenced(config);
    referencedDocuments.set(config, out);
  }
  return out;
}

function findDocumentsReferenced(config: ModuleConfig): Set<string> {
  const out = new Set<string>();
  const docs = [...config.dataSources.keys()].filter((k) => k.startsWith("aws_iam_policy_document."));
  if (docs.length === 0) return out;
  for (const [, decl] of config.resources) {
    walkBody(decl.node.body, (e) => {
      if (e.type !== "GetAttr" || e.object.type !== "GetAttr" || e.object.object.type !== "Variable") return;
      if (e.object.object.name !== "data" || e.object.name !== "aws_iam_policy_document") return;
      const key = `aws_iam_policy_document.${e.name}`;
      if (config.dataSources.has(key)) out.add(key);
    });
  }
  return out;
}

function piecesOf(v: Value): Array<string | Unknown | Failure> {
  if (typeof v === "string") return [v];
  if (v instanceof Unknown) return v.template ? [...v.template] : [v];
  if (v instanceof Failure) return [v];
  return [unknown("dynamic")];
}
