// Provider-defined functions of the AWS provider (provider::aws::…).

import { Failure, joinPieces, ObjectValue, type StringPiece, Unknown, type Value } from "../values.js";
import { def, defPartial, unk } from "./support/registry.js";
import { asPieces, asString } from "./support/convert.js";

/**
 * provider::aws::arn_parse: the parts of an ARN (the AWS SDK's arn.Parse: `arn:` then five
 * `:`-separated sections, the last of which may hold colons). For a partly known ARN, the
 * sections wholly inside the known prefix are known and the others unknown.
 */
defPartial("provider::aws::arn_parse", 1, 1, ([v], _ctx, name) => {
  const ps = asPieces(v, "arn");
  if (ps instanceof Failure) return ps;
  const fields = ["partition", "service", "region", "account_id", "resource"];
  const whole = ps.every((p) => typeof p === "string");
  const text = typeof ps[0] === "string" ? ps[0] : "";
  if (whole) {
    if (!text.startsWith("arn:")) return new Failure("arn: invalid prefix");
    const parts = text.split(":");
    if (parts.length < 6) return new Failure("arn: not enough sections");
    const values = [...parts.slice(1, 5), parts.slice(5).join(":")];
    return new ObjectValue(fields.map((f, i) => [f, values[i]] as [string, Value]));
  }
  if (!"arn:".startsWith(text.slice(0, 4))) return new Failure("arn: invalid prefix");
  if (!text.startsWith("arn:")) return unk(name);
  const parts = text.slice(4).split(":");
  // Every part but the last is complete (a colon follows it); the resource never is.
  const complete = Math.min(parts.length - 1, 4);
  return new ObjectValue(
    fields.map((f, i) => [f, i < complete ? parts[i] : new Unknown("dynamic", undefined, undefined, `${name}(…).${f}`)] as [string, Value]),
  );
});

defPartial("provider::aws::arn_build", 5, 5, (args) => {
  const names = ["partition", "service", "region", "account_id", "resource"];
  const out: StringPiece[] = ["arn"];
  for (let i = 0; i < 5; i++) {
    const ps = asPieces(args[i], names[i]);
    if (ps instanceof Failure) return ps;
    out.push(":", ...ps);
  }
  return joinPieces(out);
});

def("provider::aws::trim_iam_role_path", 1, 1, ([v]) => {
  const arn = asString(v, "arn");
  if (arn instanceof Failure) return arn;
  const parts = arn.split(":");
  if (!arn.startsWith("arn:")) return new Failure("arn: invalid prefix");
  if (parts.length < 6) return new Failure("arn: not enough sections");
  const resource = parts.slice(5).join(":");
  if (parts[2] !== "iam" || !resource.startsWith("role/")) return new Failure(`"${arn}" is not an IAM role ARN`);
  const segs = resource.split("/");
  return [...parts.slice(0, 5), `role/${segs[segs.length - 1]}`].join(":");
});
