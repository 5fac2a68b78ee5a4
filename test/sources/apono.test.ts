// Terraform → inventory: the AWS secrets Apono reads (src/sources/terraform/apono.ts).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { originText } from "../../src/inventory/dump.js";
import { emptyInventory, type AponoSecretRef, type Inventory, type Origin } from "../../src/inventory/model.js";
import { collectApono } from "../../src/sources/terraform/apono.js";
import { buildContext } from "../../src/sources/terraform/context.js";
import { collectSecrets } from "../../src/sources/terraform/secrets.js";
import { loadProject } from "../../src/terraform/project.js";
import { Unknown, toJSONView } from "../../src/terraform/values.js";
import { corpusDir, corpusMissingReason } from "../helpers/shared.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/terraform");

function aponoOf(dir: string): Inventory {
  const inv = emptyInventory();
  const ctx = buildContext(loadProject(dir), inv);
  collectSecrets(ctx);
  collectApono(ctx);
  return inv;
}

const at = (o: Origin | undefined) => (o ? originText(o) : "(none)");

function ref(inv: Inventory, id: string): AponoSecretRef {
  const r = inv.aponoSecretRefs.find((x) => x.id === id);
  if (!r) throw new Error(`no Apono secret reference ${id}; have ${inv.aponoSecretRefs.map((x) => x.id).join(", ")}`);
  return r;
}

describe("Apono secret references (fixtures/terraform/apono-connector)", () => {
  const inv = aponoOf(path.join(fixtures, "apono-connector"));

  it("one per AWS secret store; none for a GCP one", () => {
    expect(inv.aponoSecretRefs.map((r) => r.id)).toEqual([
      "apono_integration.postgresql_prod.aws_secret",
      "apono_resource_integration.mysql_prod.secret_store_config.aws",
      "apono_integration.redis_prod.aws_secret",
    ]);
  });

  it("apono_integration.aws_secret: linked by reference; the region from a data source known to the model", () => {
    const r = ref(inv, "apono_integration.postgresql_prod.aws_secret");
    expect(r.via).toBe("apono_integration");
    expect(r.secretRef).toBe("aws_secretsmanager_secret.postgres");
    expect(r.secretId.value).toBeInstanceOf(Unknown); // the ARN's account and suffix are unknown
    expect(at(r.secretId.origin)).toBe("integrations.tf:14:5");
    expect(r.region.value).toBe("us-east-1"); // data.aws_region.current.name: the provider's region
    expect(at(r.region.origin)).toBe("integrations.tf:13:5");
    expect(at(r.origin)).toBe("integrations.tf:12:3");
    expect(r.origin.address).toBe("apono_integration.postgresql_prod");
  });

  it("apono_resource_integration.secret_store_config.aws: a partial ARN links by name", () => {
    const r = ref(inv, "apono_resource_integration.mysql_prod.secret_store_config.aws");
    expect(r.via).toBe("apono_resource_integration");
    expect(r.secretId.value).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:apono/prod/mysql");
    expect(r.secretRef).toBe("aws_secretsmanager_secret.mysql");
    expect(r.region.value).toBe("eu-west-1");
    expect(at(r.region.origin)).toBe("integrations.tf:30:7");
    expect(at(r.origin)).toBe("integrations.tf:29:5");
  });

  it("the block form; a name links; an unknown region stays unknown", () => {
    const r = ref(inv, "apono_integration.redis_prod.aws_secret");
    expect(r.secretId.value).toBe("apono/prod/redis");
    expect(r.secretRef).toBe("aws_secretsmanager_secret.redis");
    expect(toJSONView(r.region.value)).toEqual({ $unknown: "data.aws_ssm_parameter.secret_region.value" });
    expect(at(r.origin)).toBe("integrations.tf:42:3");
  });
});

describe("Apono: the provider's own examples (shared corpus)", () => {
  it.skipIf(corpusDir === null)(`reads apono_integration and apono_resource_integration examples${corpusDir === null ? ` (skipped: ${corpusMissingReason})` : ""}`, () => {
    const inv = aponoOf(path.join(corpusDir as string, "apono-io/terraform-provider-apono/examples/resources"));
    expect(inv.aponoSecretRefs.map((r) => [r.id, r.secretId.value, r.region.value, r.secretRef])).toEqual([
      // One root module per example directory: ids carry it.
      ["apono_integration:apono_integration.postgresql_prod.aws_secret", "arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/postgresql/apono", "us-east-1", undefined],
      [
        "apono_resource_integration:apono_resource_integration.postgresql_prod_dbs.secret_store_config.aws",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/postgresql/apono",
        "us-east-1",
        undefined,
      ],
    ]);
  });
});
