// The parts of the AWS SDK a live audit (and its --apply) uses, in one module that only ./sdk.ts imports, and
// only dynamically: the build bundles this module, and the SDK with it, into a file of its own
// (dist/aws-sdk.js) that nothing but `audit --live` loads.
export { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
export { BatchGetSecretValueCommand, GetResourcePolicyCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
export { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
export { GetResourcesCommand, ResourceGroupsTaggingAPIClient, TagResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
