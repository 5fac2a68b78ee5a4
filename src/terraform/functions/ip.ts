// IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets): not implemented here: unknown.

import { defUnknown } from "./support/registry.js";

defUnknown(["cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets"]);
