// The AWS SDK, loaded when a live audit starts and not before: `scan`, `audit --snapshot` and
// the library never pay for it. Each class below is bound by loadAwsSdk(), which the audit
// awaits before it creates a client (collectAccount); the names are also the classes' types.

import type * as Sdk from "./sdk-exports.js";

export let IAMClient: typeof Sdk.IAMClient;
export type IAMClient = Sdk.IAMClient;
export let SecretsManagerClient: typeof Sdk.SecretsManagerClient;
export type SecretsManagerClient = Sdk.SecretsManagerClient;
export let STSClient: typeof Sdk.STSClient;
export type STSClient = Sdk.STSClient;
export let GetAccountAuthorizationDetailsCommand: typeof Sdk.GetAccountAuthorizationDetailsCommand;
export let BatchGetSecretValueCommand: typeof Sdk.BatchGetSecretValueCommand;
export let GetResourcePolicyCommand: typeof Sdk.GetResourcePolicyCommand;
export let ListSecretsCommand: typeof Sdk.ListSecretsCommand;
export let AssumeRoleCommand: typeof Sdk.AssumeRoleCommand;
export let ResourceGroupsTaggingAPIClient: typeof Sdk.ResourceGroupsTaggingAPIClient;
export type ResourceGroupsTaggingAPIClient = Sdk.ResourceGroupsTaggingAPIClient;
export let GetResourcesCommand: typeof Sdk.GetResourcesCommand;
export let TagResourcesCommand: typeof Sdk.TagResourcesCommand;
export let GetCallerIdentityCommand: typeof Sdk.GetCallerIdentityCommand;

let loading: Promise<void> | undefined;

export function loadAwsSdk(): Promise<void> {
  loading ??= import("./sdk-exports.js").then((sdk) => {
    ({
      IAMClient,
      SecretsManagerClient,
      STSClient,
      GetAccountAuthorizationDetailsCommand,
      BatchGetSecretValueCommand,
      GetResourcePolicyCommand,
      ListSecretsCommand,
      AssumeRoleCommand,
      GetCallerIdentityCommand,
      ResourceGroupsTaggingAPIClient,
      GetResourcesCommand,
      TagResourcesCommand,
    } = sdk);
  });
  return loading;
}
