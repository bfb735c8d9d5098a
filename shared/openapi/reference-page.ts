/**
 * The API reference as one server-rendered page: every operation, its parameters, its body and
 * its answers with their examples, and a link to /openapi.json for tools. No script, no CDN: it
 * keeps the services' strict Content-Security-Policy.
 */
import type { ApiInfo, Content, Operation } from "./openapi.ts";
import { jsonSchemaOf } from "./openapi.ts";

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const code = (value: unknown) => `<pre><code>${escape(JSON.stringify(value, null, 2))}</code></pre>`;

function contentHtml(title: string, c: Content): string {
  return `<h4>${escape(title)}</h4><p>${escape(c.description)}${
    c.contentType ? ` <code>${escape(c.contentType)}</code>` : ""
  }</p>${c.schema ? `<details><summary>Schema</summary>${code(jsonSchemaOf(c.schema))}</details>` : ""}${
    c.example !== undefined ? `<details open><summary>Example</summary>${code(c.example)}</details>` : ""
  }`;
}

export function referencePage(info: ApiInfo, operations: readonly Operation[], style = ""): string {
  const ops = operations.map((op) => {
    const params = Object.entries({ ...op.query, ...op.headers }).map(([name, p]) =>
      `<li><code>${escape(name)}</code>${p.required ? " (required)" : ""}: ${escape(p.description)}</li>`
    ).join("");
    return `<section id="${escape(`${op.method}-${op.path}`)}">
<h3><code>${op.method.toUpperCase()} ${escape(op.path)}</code>${op.auth ? " <small>bearer token</small>" : ""}</h3>
<p>${escape(op.summary)}</p>${op.description ? `<p>${escape(op.description)}</p>` : ""}
${params ? `<ul>${params}</ul>` : ""}
${op.body ? contentHtml("Request body", op.body) : ""}
${Object.entries(op.responses).map(([status, c]) => contentHtml(`${status}`, c)).join("\n")}
</section>`;
  }).join("\n");
  const toc = operations.map((op) =>
    `<li><a href="#${escape(`${op.method}-${op.path}`)}"><code>${op.method.toUpperCase()} ${
      escape(op.path)
    }</code></a> ${escape(op.summary)}</li>`
  ).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)} · API</title>${style}</head>
<body><main>
<h1>${escape(info.title)}</h1><p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${"3.1"}, version ${escape(info.version)}).</p>
<ul>${toc}</ul>
${ops}
</main></body></html>`;
}
