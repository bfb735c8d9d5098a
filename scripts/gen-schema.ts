/** Regenerates schema/<table>.json for every table from shared/tables.ts: `bun run scripts/gen-schema.ts`. */
import { renderSchema, schemaPathOf, TABLES } from "../shared/tables.ts";

for (const table of TABLES) {
  await Bun.write(new URL(`../${schemaPathOf(table)}`, import.meta.url), renderSchema(table));
  console.log(`wrote ${schemaPathOf(table)}`);
}
