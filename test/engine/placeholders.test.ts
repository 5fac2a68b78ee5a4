import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findPlaceholders, findPlaceholdersSlowly } from "../../src/engine/queries/placeholders.js";

// findPlaceholders rules most texts out with one search before running every pattern: the
// search must let through every text a pattern matches.
const pieces = [
  "<Region>", "<region>", "<ACCOUNTID>", "<SecretName>", "<SixRandomCharacters>", "#SECRET_NAME", "#REGION", "#REGIONS",
  "KEY1", "VALUE1", "xKEY1", "YOUR-SECRET-VALUE", "YOUR-API-KEY", "YOUR-API-KEY1", "EXAMPLE-PASSWORD", "your-region",
  "your-account-id", "arn:aws:secretsmanager:", "us-east-1", "-", "_", " ", "/", "\n", "Allow", "secret", "key",
];

describe("findPlaceholders", () => {
  it("finds what every pattern finds (the first search lets every placeholder through)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 8 }), (parts) => {
        const text = parts.join("");
        expect(findPlaceholders(text)).toEqual(findPlaceholdersSlowly(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds each placeholder of the guides", () => {
    for (const p of ["<Region>", "#SECRET_NAME", "KEY1", "YOUR-API-KEY", "EXAMPLE-PASSWORD", "your-account-id"]) {
      expect(findPlaceholders(`a ${p} b`).map((h) => h.placeholder)).toEqual([p]);
    }
    expect(findPlaceholders("arn:aws:secretsmanager:us-east-1:123456789012:secret:db")).toEqual([]);
  });
});
