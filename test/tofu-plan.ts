/**
 * terraform/ as OpenTofu plans it, offline: the configuration is copied next to links to the
 * files it reads (schema/, sql/, infra/), the Google provider gets a fixed token and, for the one
 * data source it reads (the project, and its billing account), a local stand-in for the API;
 * then `tofu plan` and `tofu show -json` (no init: the provider is a dev override, scripts/terraform-tools). What the tests read is the real graph: every resource
 * with the values it would be created with, and the configuration's expressions and references.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const PLAN_PROJECT = "demo-project";

/** The variables a plan needs (the rest keep their defaults). */
export const PLAN_VARIABLES: Record<string, string> = {
  project_id: PLAN_PROJECT,
  bucket_name: "demo-staging",
  image: "southamerica-east1-docker.pkg.dev/demo-project/ofertas/ofertas:1",
  scrape_token: "plan-token-0123456789abcdef",
  channel_secrets_key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  link_key: "plan-link-key-0123456789abcdef0123456789",
};

export interface PlannedResource {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  values: Record<string, unknown>;
}

export interface ConfiguredResource {
  address: string;
  type: string;
  name: string;
  expressions: Record<string, unknown>;
}

export interface Plan {
  resources: PlannedResource[];
  configuration: {
    resources: ConfiguredResource[];
    variables: Record<string, { default?: unknown; sensitive?: boolean }>;
  };
  /** One planned resource by address, e.g. `google_bigquery_table.tables["daily_offers"]`. */
  resource(address: string): PlannedResource;
  /** Every reference an attribute's expression makes, at any depth. */
  references(address: string, attribute: string): string[];
}

/** Runs tofu without blocking this process (the stand-in API answers from here meanwhile). */
function tofu(dir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [`${REPO}/scripts/terraform-tools`, "tofu", `-chdir=${dir}`, ...args], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tofu ${args[0]} failed:\n${stderr}\n${stdout}`.slice(0, 4000)));
      else resolve(stdout);
    });
  });
}

/** Plans terraform/ with `variables` on top of PLAN_VARIABLES. */
export async function planTerraform(variables: Record<string, string> = {}): Promise<Plan> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ projectId: PLAN_PROJECT, projectNumber: "123456789012", lifecycleState: "ACTIVE" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  const root = mkdtempSync(join(tmpdir(), "ofertas-plan-"));
  try {
    cpSync(`${REPO}/terraform`, `${root}/terraform`, {
      recursive: true,
      filter: (src) => !/\/\.terraform(\/|$)|\.tfstate|\.terraform\.lock\.hcl$/.test(src),
    });
    for (const dir of ["schema", "sql", "infra"]) symlinkSync(`${REPO}/${dir}`, `${root}/${dir}`);
    writeFileSync(
      `${root}/terraform/zz_offline_override.tf`,
      `provider "google" {\n  access_token = "offline-plan"\n  resource_manager_custom_endpoint = "${api}"\n  cloud_billing_custom_endpoint = "${api}"\n}\n`,
    );
    const dir = `${root}/terraform`;
    const vars = Object.entries({ ...PLAN_VARIABLES, ...variables }).flatMap(([k, v]) => ["-var", `${k}=${v}`]);
    await tofu(dir, "plan", "-input=false", "-refresh=false", "-no-color", "-out=plan.bin", ...vars);
    return toPlan(JSON.parse(await tofu(dir, "show", "-json", "plan.bin")));
  } finally {
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function toPlan(json: {
  planned_values: { root_module: { resources: PlannedResource[] } };
  configuration: {
    root_module: {
      resources: ConfiguredResource[];
      variables: Plan["configuration"]["variables"];
    };
  };
}): Plan {
  const resources = json.planned_values.root_module.resources;
  const configured = json.configuration.root_module.resources;
  return {
    resources,
    configuration: { resources: configured, variables: json.configuration.root_module.variables },
    resource(address) {
      const found = resources.find((r) => r.address === address);
      if (!found) throw new Error(`no ${address} in the plan`);
      return found;
    },
    references(address, attribute) {
      const config = configured.find((r) => r.address === address);
      if (!config) throw new Error(`no ${address} in the configuration`);
      const out: string[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === "object") {
          for (const [key, value] of Object.entries(node)) {
            if (key === "references" && Array.isArray(value)) out.push(...(value as string[]));
            else walk(value);
          }
        }
      };
      walk(config.expressions[attribute]);
      return out;
    },
  };
}
