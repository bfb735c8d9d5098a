/** JSON read from a record or a page: what is not JSON is `undefined`, for a schema to refuse. */
export function parseJsonText(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
