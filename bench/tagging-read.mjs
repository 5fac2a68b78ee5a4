#!/usr/bin/env node
// bench:tagging — the read side of deliverable 4 of issue 16: reading the tags of 1,000 secrets
// with Secrets Manager's ListSecrets (what the audit does: 100 secrets a page, tags included)
// against the Resource Groups Tagging API's GetResources (`secretsmanager:secret` resources, 100
// a page; and filtered to the integration tags), on the loopback emulator (test/aws/emulator.ts)
// with 20 ms latency, through the real SDK clients. Printed per reader: calls, wall time
// (median of the runs), and what it returns: GetResources gives ARNs and tags only, and a tag
// filter leaves out exactly the secrets that lack the tag (the findings an audit looks for).
//
// Usage: node bench/tagging-read.mjs [--secrets N] [--latency MS] [--runs N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { repoRoot } from "./lib.mjs";

const opts = { secrets: 1000, latency: 20, runs: 5 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const v = Number(argv[i + 1]);
  if (argv[i] === "--secrets") opts.secrets = v;
  else if (argv[i] === "--latency") opts.latency = v;
  else if (argv[i] === "--runs") opts.runs = v;
  else {
    console.error("usage: node bench/tagging-read.mjs [--secrets N] [--latency MS] [--runs N]");
    process.exit(2);
  }
  i++;
}

// The SDK's notice that its 2027 releases need Node 22 is not this benchmark's business.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "secretlint-bench-tagging-"));
for (const name of ["emulator", "accounts"]) {
  const src = fs.readFileSync(path.join(repoRoot, "test", "aws", `${name}.ts`), "utf8");
  fs.writeFileSync(path.join(out, `${name}.js`), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText);
}
const { Emulator } = await import(pathToFileURL(path.join(out, "emulator.js")).href);
const { largeAccount } = await import(pathToFileURL(path.join(out, "accounts.js")).href);
const account = largeAccount(opts.secrets, 10);
const emu = new Emulator(account, { latencyMs: opts.latency });
const url = await emu.start();
const config = { region: "us-east-1", endpoint: url, credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" }, maxAttempts: 8 };
const sm = new SecretsManagerClient(config);
const tagging = new ResourceGroupsTaggingAPIClient(config);

async function listSecrets() {
  const tags = new Map();
  let token;
  do {
    const page = await sm.send(new ListSecretsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
    for (const s of page.SecretList ?? []) tags.set(s.ARN, s.Tags ?? []);
    token = page.NextToken;
  } while (token);
  return tags;
}

async function getResources(tagFilters) {
  const tags = new Map();
  let token;
  do {
    const page = await tagging.send(
      new GetResourcesCommand({ ResourceTypeFilters: ["secretsmanager:secret"], ResourcesPerPage: 100, ...(tagFilters ? { TagFilters: tagFilters } : {}), ...(token ? { PaginationToken: token } : {}) }),
    );
    for (const m of page.ResourceTagMappingList ?? []) tags.set(m.ResourceARN, m.Tags ?? []);
    token = page.PaginationToken || undefined;
  } while (token);
  return tags;
}

const readers = {
  "ListSecrets (the audit's)": () => listSecrets(),
  "GetResources secretsmanager:secret": () => getResources(),
  "GetResources, TagFilters SymEnv": () => getResources([{ Key: "SymEnv" }]),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`bench:tagging — ${opts.secrets} secrets, ${opts.latency} ms latency, ${opts.runs} runs each (medians); the machine may be shared`);
try {
  for (const [label, read] of Object.entries(readers)) {
    const walls = [];
    let calls = 0;
    let found = 0;
    for (let r = 0; r < opts.runs; r++) {
      emu.resetStats();
      const t0 = performance.now();
      const got = await read();
      walls.push(performance.now() - t0);
      calls = emu.totalRequests();
      found = got.size;
    }
    console.log(`${label.padEnd(38)} ${String(calls).padStart(4)} calls  ${median(walls).toFixed(0).padStart(6)} ms  ${found} secrets returned`);
  }
} finally {
  sm.destroy();
  tagging.destroy();
  await emu.stop();
  fs.rmSync(out, { recursive: true, force: true });
}
