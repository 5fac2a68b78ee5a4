// The rule catalogue: every rule module in this folder, in catalogue order.
// A test holds this list against the folder's files.

import type { Rule } from "../src/engine/rule.js";
// sym rules (begin)
import symSymenvTagMissing from "./sym-symenv-tag-missing.js";
import symSymenvTagMismatch from "./sym-symenv-tag-mismatch.js";
import symJsonKeyMissing from "./sym-json-key-missing.js";
import symJsonKeyOnPlaintext from "./sym-json-key-on-plaintext.js";
import symSecretNotFound from "./sym-secret-not-found.js";
import symIntegrationSecretSettings from "./sym-integration-secret-settings.js";
import symInvalidIdFormat from "./sym-invalid-id-format.js";
import symCmkWithoutDecrypt from "./sym-cmk-without-decrypt.js";
// sym rules (end)
// apono, aws and terraform rules (begin)
import aponoReadTagMissing from "./apono-read-tag-missing.js";
import aponoReadTagValue from "./apono-read-tag-value.js";
import aponoSecretNotJson from "./apono-secret-not-json.js";
import awsSecretRegionMismatch from "./aws-secret-region-mismatch.js";
import terraformParseError from "./terraform-parse-error.js";
import terraformUndefinedReference from "./terraform-undefined-reference.js";
// apono, aws and terraform rules (end)
// iam and secret rules (begin)
import iamSecretReadWildcard from "./iam-secret-read-wildcard.js";
import iamWildcardAction from "./iam-wildcard-action.js";
import iamNotActionAllow from "./iam-not-action-allow.js";
import iamSecretArnSuffixWildcard from "./iam-secret-arn-suffix-wildcard.js";
import iamSecretPolicyPublic from "./iam-secret-policy-public.js";
import iamInvalidSecretArn from "./iam-invalid-secret-arn.js";
import iamUnknownAction from "./iam-unknown-action.js";
import iamInvalidPolicyDocument from "./iam-invalid-policy-document.js";
import secretHardcodedValue from "./secret-hardcoded-value.js";
import secretPlaceholderValue from "./secret-placeholder-value.js";
import secretImmediateDeletion from "./secret-immediate-deletion.js";
// iam and secret rules (end)
// drift rules (begin)
import driftSecretMissingLive from "./drift-secret-missing-live.js";
import driftTagDiffers from "./drift-tag-differs.js";
// drift rules (end)
// mage and flyte rules (begin)
import mageSecretNotFound from "./mage-secret-not-found.js";
import mageHardcodedAwsCredentials from "./mage-hardcoded-aws-credentials.js";
import flyteSecretNotPlaintext from "./flyte-secret-not-plaintext.js";
import flyteSecretRequestMalformed from "./flyte-secret-request-malformed.js";
// mage and flyte rules (end)
// suppression rules (begin)
import secretlintUnusedIgnore from "./secretlint-unused-ignore.js";
// suppression rules (end)
// compliance rules (begin)
import secretRotationDisabled from "./secret-rotation-disabled.js";
import secretRotationOverdue from "./secret-rotation-overdue.js";
import secretRotationFailing from "./secret-rotation-failing.js";
import secretUnused from "./secret-unused.js";
import secretDefaultKmsKey from "./secret-default-kms-key.js";
import secretRequiredTags from "./secret-required-tags.js";
import iamCrossAccountRead from "./iam-cross-account-read.js";
// compliance rules (end)

export const allRules: Rule[] = [
  // sym rules (begin)
  symSymenvTagMissing,
  symSymenvTagMismatch,
  symJsonKeyMissing,
  symJsonKeyOnPlaintext,
  symSecretNotFound,
  symIntegrationSecretSettings,
  symInvalidIdFormat,
  symCmkWithoutDecrypt,
  // sym rules (end)
  // apono, aws and terraform rules (begin)
  aponoReadTagMissing,
  aponoReadTagValue,
  aponoSecretNotJson,
  awsSecretRegionMismatch,
  terraformParseError,
  terraformUndefinedReference,
  // apono, aws and terraform rules (end)
  // iam and secret rules (begin)
  iamSecretReadWildcard,
  iamWildcardAction,
  iamNotActionAllow,
  iamSecretArnSuffixWildcard,
  iamSecretPolicyPublic,
  iamInvalidSecretArn,
  iamUnknownAction,
  iamInvalidPolicyDocument,
  secretHardcodedValue,
  secretPlaceholderValue,
  secretImmediateDeletion,
  // iam and secret rules (end)
  // drift rules (begin)
  driftSecretMissingLive,
  driftTagDiffers,
  // drift rules (end)
  // mage and flyte rules (begin)
  mageSecretNotFound,
  mageHardcodedAwsCredentials,
  flyteSecretNotPlaintext,
  flyteSecretRequestMalformed,
  // mage and flyte rules (end)
  // suppression rules (begin)
  secretlintUnusedIgnore,
  // suppression rules (end)
  // compliance rules (begin)
  secretRotationDisabled,
  secretRotationOverdue,
  secretRotationFailing,
  secretUnused,
  secretDefaultKmsKey,
  secretRequiredTags,
  iamCrossAccountRead,
  // compliance rules (end)
];
