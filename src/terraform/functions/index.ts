// Terraform's built-in functions, over Values with unknowns, one file per family in the manner of
// Terraform's own `lang/funcs` (collection, string, encoding, filesystem, crypto, datetime, number,
// ip, conversion) plus format and regex (cty's stdlib) and the AWS provider's functions. Each
// family registers its functions into one table (`support/registry.ts`) when imported.
//
// Each function follows Terraform's documented behaviour on known values. On values that are
// not (wholly) known the rules are:
// - a Failure argument makes the result that Failure (errors propagate like unknowns);
// - an unknown argument makes the result unknown (`what` names the call), except where
//   Terraform's result keeps known structure: then the known part survives (a partly known
//   string keeps its known pieces, a list keeps its length, an object keeps its keys, a
//   jsonencode result keeps the encoded value in `Unknown.json`);
// - a wrong argument type is a Failure whose message says what was expected.
// Functions that are impure (timestamp, uuid, bcrypt…) or need what a static scan cannot see
// (a file that is not there, a directory listing) give an Unknown with reason "function".

import "./encoding.js";
import "./crypto.js";
import "./format.js";
import "./string.js";
import "./regex.js";
import "./collection.js";
import "./conversion.js";
import "./number.js";
import "./filesystem.js";
import "./datetime.js";
import "./ip.js";
import "./provider-aws.js";

export { functions, type FunctionContext, type TfFunction } from "./support/registry.js";
export { numberToString } from "./support/convert.js";
