// Test helper for the built binary, loaded with `node --import`: makes evaluating the provider
// region of every module whose directory ends with $SECRETLINT_TEST_FAULT_DIR throw a
// TypeError, as the provider-region bug of issue 10 did, so a test can watch the binary leave
// that module out (no such bug is known now). It patches the module the binary loads:
// dist/src/terraform/module.js (npm test builds dist first).
import path from "node:path";
import { ModuleInstance } from "../../dist/src/terraform/module.js";

const suffix = process.env.SECRETLINT_TEST_FAULT_DIR;
if (suffix) {
  const original = ModuleInstance.prototype.providerRegion;
  ModuleInstance.prototype.providerRegion = function (key) {
    if (this.config.dir.endsWith(path.sep + suffix)) throw new TypeError("Cannot read properties of undefined (reading 'has')");
    return original.call(this, key);
  };
}
