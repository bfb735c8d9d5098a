/**
 * OpenAPI 3.1 documents from the valibot schemas the services validate with
 * (@valibot/to-json-schema), so the description cannot drift from what a handler accepts. Each
 * service lists its operations once (edge/api-doc.ts, web/api-doc.ts); this turns them into the
 * document served at /openapi.json and into the reference page, and checks every example against
 * the schema it illustrates.
 */
import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import {
  dealEndTimestamp,
  httpsUrl,
  imageUrl,
  money,
  scrapedAtTimestamp,
  siteCode,
  utcTimestamp,
} from "../contract/fields.ts";
import { SITE_CODES } from "../sites.ts";

type Json = Record<string, unknown>;

export interface Parameter {
  schema: v.GenericSchema;
  description: string;
  required?: boolean;
}

export interface Content {
  description: string;
  /** application/json unless said. */
  contentType?: string;
  schema?: v.GenericSchema;
  example?: unknown;
}

export interface Operation {
  method: "get" | "post" | "put" | "delete";
  /** As Hono writes it: /items/:site/:id. */
  path: string;
  summary: string;
  description?: string;
  /** Needs `Authorization: Bearer <OFERTAS_TOKEN>` when the service has a token. */
  auth?: boolean;
  query?: Record<string, Parameter>;
  headers?: Record<string, Parameter>;
  body?: Content;
  responses: Record<number, Content>;
}

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
}

/** The contract's own field schemas are checks valibot cannot describe: what each is, in JSON Schema. */
const CUSTOM: ReadonlyMap<unknown, Json> = new Map<unknown, Json>([
  [money, { type: "string", pattern: "^(?:0|[1-9]\\d{0,12})\\.\\d{2}$", description: "money: a decimal string" }],
  [utcTimestamp, { type: "string", format: "date-time" }],
  [scrapedAtTimestamp, { type: "string", format: "date-time" }],
  [dealEndTimestamp, { type: "string", format: "date-time" }],
  [httpsUrl, { type: "string", format: "uri", pattern: "^https://" }],
  [imageUrl, { type: "string", format: "uri", pattern: "^https://" }],
  [siteCode, { type: "string", enum: [...SITE_CODES] }],
]);

const CONVERSION: ConversionConfig = {
  target: "draft-2020-12",
  errorMode: "ignore",
  overrideSchema: ({ valibotSchema }) => CUSTOM.get(valibotSchema) as never,
};

/** A valibot schema as OpenAPI 3.1's JSON Schema (draft 2020-12, without its $schema). */
export function jsonSchemaOf(schema: v.GenericSchema): Json {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, CONVERSION) as Json;
  return rest;
}

/** /items/:site/:id → /items/{site}/{id} */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, "{$1}");

function content(c: Content): Json {
  return {
    description: c.description,
    ...(c.schema || c.example !== undefined
      ? {
        content: {
          [c.contentType ?? "application/json"]: {
            ...(c.schema ? { schema: jsonSchemaOf(c.schema) } : {}),
            ...(c.example !== undefined ? { example: c.example } : {}),
          },
        },
      }
      : {}),
  };
}

export function openApiDocument(info: ApiInfo, operations: readonly Operation[]): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    const pathParams = [...op.path.matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const params = (where: "query" | "header", list: Record<string, Parameter> = {}) =>
      Object.entries(list).map(([name, p]) => ({
        name,
        in: where,
        required: p.required ?? false,
        description: p.description,
        schema: jsonSchemaOf(p.schema),
      }));
    const parameters = [...pathParams, ...params("query", op.query), ...params("header", op.headers)];
    paths[path] = {
      ...paths[path],
      [op.method]: {
        operationId: `${op.method}${
          path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())
        }`,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, ...content(op.body) } } : {}),
        ...(op.auth ? { security: [{ bearer: [] }] } : {}),
        responses: Object.fromEntries(Object.entries(op.responses).map(([status, c]) => [status, content(c)])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  };
}

/** Every example that its own schema refuses, with the schema's reasons (none: the document is honest). */
export function exampleProblems(operations: readonly Operation[]): string[] {
  const problems: string[] = [];
  for (const op of operations) {
    const contents: Array<[string, Content]> = [
      ...(op.body ? [["request", op.body] as [string, Content]] : []),
      ...Object.entries(op.responses).map(([status, c]) => [status, c] as [string, Content]),
    ];
    for (const [what, c] of contents) {
      if (c.example === undefined || !c.schema) continue;
      const checked = v.safeParse(c.schema, c.example);
      if (!checked.success) {
        problems.push(
          `${op.method.toUpperCase()} ${op.path} ${what}: ${
            checked.issues.slice(0, 3).map((i) => i.message).join("; ")
          }`,
        );
      }
    }
  }
  return problems;
}
