/**
 * The JSON state Mercado Livre embeds in a page's scripts: finding it, cutting it out and
 * walking it. Shared by the listing state (embedded-state.ts) and the product state
 * (product/product-state.ts); each decides what to read from it.
 *
 *  - 2026 pages: <script id="__NORDIC_RENDERING_CTX__">_n.ctx.r={…};_n.ctx.r.assets…
 *    (a JS statement: the object is cut out by brace matching);
 *  - 2025 pages: <script type="application/json" id="__PRELOADED_STATE__">{…}</script>.
 */
import { parseJsonText } from "../../shared/json-text.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type StateSource = "nordic_ctx" | "preloaded_state";

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at `path` below `root`, or undefined when any step is missing. */
export function get(root: Json | undefined, ...path: string[]): Json | undefined {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Returns the JSON object literal that starts at `start` (a "{"), string- and escape-aware. */
export function cutJsonObject(text: string, start: number): string | null {
  if (text[start] !== "{") return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */) depth++;
    else if (ch === 125 /* } */ && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

export function parseJson(text: string | null): Json | undefined {
  return parseJsonText(text) as Json | undefined;
}

const NORDIC_ROOT = "_n.ctx.r=";

/**
 * The page's state objects that parse, newest layout first, each parsed only when the caller
 * asks for it (a page usually has one; the caller stops at the first it can use).
 */
export function* stateRoots(
  scripts: { id: string | null; text: string }[],
): Generator<{ source: StateSource; root: Json }> {
  const nordic = scripts.find((s) => s.id === "__NORDIC_RENDERING_CTX__");
  if (nordic) {
    const at = nordic.text.indexOf(NORDIC_ROOT);
    const root = at >= 0 ? parseJson(cutJsonObject(nordic.text, at + NORDIC_ROOT.length)) : undefined;
    if (root !== undefined) yield { source: "nordic_ctx", root };
  }
  const preloaded = scripts.find((s) => s.id === "__PRELOADED_STATE__");
  if (preloaded) {
    const root = parseJson(preloaded.text.trim());
    if (root !== undefined) yield { source: "preloaded_state", root };
  }
}
