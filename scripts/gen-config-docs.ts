/** Writes docs/configuration.md from the settings declarations: `bun run scripts/gen-config-docs.ts`. */
import { writeFileSync } from "node:fs";
import { renderReference } from "../shared/settings.ts";
import { ALL_SETTINGS, REFERENCE_PATH } from "./config-reference.ts";

const root = new URL("..", import.meta.url).pathname;
writeFileSync(`${root}${REFERENCE_PATH}`, renderReference(ALL_SETTINGS));
console.log(`wrote ${REFERENCE_PATH}`);
