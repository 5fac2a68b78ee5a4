// mage/hardcoded-aws-credentials: a literal AWS access key — an `AKIA…` (IAM user) or
// `ASIA…` (temporary) access key id with a 40-character secret access key beside it — in a
// Mage `io_config.yml`, a `.env*` file or a docker-compose file. Messages never hold either
// value; the lines shown in code frames are masked (src/report/common.ts), and the texts
// kept for them are redacted when read (src/sources/apps/credentials.ts).

import { defineRule } from "../src/engine/rule.js";
import type { HardcodedCredential } from "../src/inventory/model.js";
import { describeOrigin } from "../src/engine/queries/apono.js";

const FILE_LABEL: Record<HardcodedCredential["fileKind"], string> = {
  io_config: "Mage io_config file",
  dotenv: ".env file",
  "docker-compose": "docker-compose file",
};

export default defineRule({
  id: "mage/hardcoded-aws-credentials",
  level: "error",
  securitySeverity: 9.0,
  tags: ["mage", "aws", "credentials", "security", "secrets"],
  precision: "high",
  title: "A literal AWS access key in an app configuration",
  description:
    "An AWS access key id (`AKIA…`, or `ASIA…` for temporary credentials) with its 40-character secret access key written in a Mage " +
    "`io_config.yml`, a `.env` file or a docker-compose file. Whoever can read the repository (or an image built from it) can act as that " +
    "identity. Files ignored by `.gitignore` are not scanned.",
  help: {
    why:
      "Keys committed to a repository are found by scanners within minutes of a push and stay in its history after they are removed. Mage " +
      "reads its AWS credentials from the environment or from its own secrets; they need not be in a file.",
    bad: `# io_config.yml
default:
  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    good: `default:
  AWS_ACCESS_KEY_ID: "{{ env_var('AWS_ACCESS_KEY_ID') }}"
  AWS_SECRET_ACCESS_KEY: "{{ mage_secret_var('AWS_SECRET_ACCESS_KEY') }}"`,
    fix: "Deactivate and rotate the key in IAM first (it is exposed), then read it from the environment (`env_var`) or Mage's secrets (`mage_secret_var`), or give Mage an IAM role and drop the keys.",
  },
  messages: {
    literal:
      "A literal AWS {kind} access key (id and secret access key, the secret at {secretAt}) is written in this {file}: rotate it in IAM and read it from the environment or Mage's secrets instead.",
  },
  check(ctx) {
    for (const c of ctx.inventory.hardcodedCredentials) {
      ctx.report({
        messageId: "literal",
        data: { kind: c.kind === "temporary" ? "temporary (ASIA…)" : "long-term (AKIA…)", secretAt: describeOrigin(c.secretOrigin), file: FILE_LABEL[c.fileKind] },
        at: c.origin,
        related: [{ origin: c.secretOrigin, message: "the secret access key (masked)" }],
      });
    }
  },
});
