// Date and time functions: impure (timestamp, plantimestamp) or not implemented here: unknown.

import { defUnknown } from "./support/registry.js";

defUnknown(["timestamp", "plantimestamp", "timeadd", "timecmp", "formatdate"]);
