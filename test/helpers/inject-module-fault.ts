// Test helper bundled into a copy of the command line (see faulty-cli.ts): makes evaluating
// the provider region of every module whose directory ends with $SECRETLINT_TEST_FAULT_DIR
// throw a TypeError, as the provider-region bug of issue 10 did, so a test can watch the
// binary leave that module out (no such bug is known now).
import path from "node:path";
import { ModuleInstance } from "../../src/terraform/module.js";

const suffix = process.env.SECRETLINT_TEST_FAULT_DIR;
if (suffix) {
  const original = ModuleInstance.prototype.providerRegion;
  ModuleInstance.prototype.providerRegion = function (this: ModuleInstance, ...args: Parameters<ModuleInstance["providerRegion"]>) {
    if (this.config.dir.endsWith(path.sep + suffix)) throw new TypeError("Cannot read properties of undefined (reading 'has')");
    return original.apply(this, args);
  };
}
