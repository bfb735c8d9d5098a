/**
 * One contract, enforced at both ends: every message `validateOfferMessage` accepts becomes a
 * row the warehouse loads. fast-check draws messages over the contract's whole domain (edges
 * included), keeps those the contract accepts, and loads each draw into a real DuckDB
 * warehouse; the values must come back as sent. A fixed seed and a bounded number of runs keep
 * it repeatable (batch/contract-loads.int.test.ts loads a sample into the BigQuery emulator).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateWarehouseRow } from "../shared/contract/warehouse-row.ts";
import { validateOfferMessage } from "../shared/offer.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerMessageArbitrary, PROPERTY_SEED } from "../test/offer-arbitrary.ts";
import { shapeOf, stageRows } from "./staging.ts";
import { transform } from "./transform.ts";
import type { RawRecord } from "./backend/backend.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";

const enc = new TextEncoder();
let offset = 0;
const recordOf = (message: unknown): RawRecord => ({
  topic: "property",
  partition: 0,
  offset: String(offset++),
  key: null,
  value: enc.encode(JSON.stringify(message)),
  headers: {},
});

test("contract: every message the contract accepts loads into DuckDB, values intact (property, fixed seed)", {
  timeout: 120_000,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-property-"));
  const warehouse = await inProcessLocalWarehouse(root);
  let accepted = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(offerMessageArbitrary, { minLength: 5, maxLength: 30 }), async (drawn) => {
      const messages = drawn.filter((m) => validateOfferMessage(m).ok);
      accepted += messages.length;
      refused += drawn.length - messages.length;
      if (messages.length === 0) return;
      const { rows, deadLetters } = await transform(messages.map(recordOf), new Date().toISOString());
      assert.deepEqual(deadLetters, [], "the consumer takes what the contract accepts");
      for (const row of rows) assert.ok(validateWarehouseRow(row).ok, JSON.stringify(validateWarehouseRow(row)));
      const batch = await stageRows(root, shapeOf(DAILY_OFFERS), rows);
      await warehouse.load(batch); // throws on any value DuckDB refuses
      const db = await DuckDBInstance.create(join(root, "ofertas.duckdb"));
      const connection = await db.connect();
      try {
        const keys = rows.map((r) => `'${r.offer_key}'`).join(",");
        const back = (await connection.runAndReadAll(
          `SELECT offer_key, title, CAST(price AS VARCHAR) AS price, position, reviews FROM daily_offers WHERE offer_key IN (${keys})`,
        )).getRowObjectsJson() as Array<
          { offer_key: string; title: string; price: string; position: string; reviews: string | null }
        >;
        assert.equal(back.length, rows.length);
        const byKey = new Map(back.map((b) => [b.offer_key, b]));
        for (const row of rows) {
          const b = byKey.get(row.offer_key)!;
          assert.equal(b.title, row.title);
          assert.equal(Number(b.price), Number(row.price));
          assert.equal(Number(b.position), row.position);
          assert.equal(b.reviews === null ? null : Number(b.reviews), row.reviews);
        }
      } finally {
        connection.closeSync();
        db.closeSync();
      }
    }),
    { seed: PROPERTY_SEED, numRuns: 60, endOnFailure: true },
  );
  assert.ok(accepted > 400, `the draws must mostly pass the contract to test anything: ${accepted} accepted`);
  assert.ok(refused > 20, `and the refusals must be exercised too: ${refused} refused`);
  console.log(JSON.stringify({ property: "contract loads into DuckDB", accepted, refused }));
});
