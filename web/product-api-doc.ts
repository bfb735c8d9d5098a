/**
 * The product routes in /openapi.json (web/api-doc.ts puts them in, with its shared parts): the
 * product page and its JSON twin, with an example answer that its schema accepts.
 */
import * as v from "valibot";
import type { Operation } from "../shared/openapi/openapi.ts";

interface Parts {
  pageErrors: Operation["responses"];
  jsonErrors: Operation["responses"];
  query: Operation["query"];
  decimal: v.GenericSchema;
  count: v.GenericSchema;
}

export function productOperations(p: Parts): Operation[] {
  const ProductAnswer = v.object({
    first: v.pipe(v.string(), v.isoDate()),
    last: v.pipe(v.string(), v.isoDate()),
    site: v.string(),
    product_id: v.string(),
    title: v.nullable(v.string()),
    currency: v.nullable(v.string()),
    days: v.array(v.object({
      offer_date: v.pipe(v.string(), v.isoDate()),
      seller_key: v.string(),
      seller: v.nullable(v.string()),
      official_store: v.boolean(),
      min_price: p.decimal,
      listings: p.count,
    })),
    sellers: v.array(v.object({
      item_id: v.string(),
      title: v.nullable(v.string()),
      url: v.nullable(v.string()),
      seller: v.nullable(v.string()),
      official_store: v.boolean(),
      price: p.decimal,
      original_price: v.nullable(p.decimal),
      seller_reputation: v.nullable(v.string()),
      seller_power_status: v.nullable(v.string()),
      scraped_at: v.string(),
    })),
    stock: v.array(v.object({
      observed_at: v.string(),
      available: v.boolean(),
      available_quantity: v.nullable(p.count),
    })),
    verdict: v.nullable(v.looseObject({ verdict: v.string(), price: p.decimal, best_item_id: v.string() })),
  });
  return [
    {
      method: "get",
      path: "/products/:site/:id",
      summary:
        "One catalog product across its sellers: a price line per seller, the best-price line, the periods out of stock, the sellers of the day ranked by price with their standing.",
      query: p.query,
      responses: { 200: { description: "HTML", contentType: "text/html" }, ...p.pageErrors },
    },
    {
      method: "get",
      path: "/api/products/:site/:id",
      summary: "One catalog product across its sellers over the 30 days up to the date, as JSON, with its verdict.",
      query: p.query,
      responses: {
        200: {
          description: "the product",
          schema: ProductAnswer,
          example: {
            first: "2026-11-05",
            last: "2026-12-04",
            site: "MLB",
            product_id: "MLB22246671",
            title: "Console PlayStation 5 Slim 1 TB",
            currency: "BRL",
            days: [{
              offer_date: "2026-12-04",
              seller_key: "LOJA A",
              seller: "LOJA A",
              official_store: true,
              min_price: "3499.00",
              listings: 1,
            }],
            sellers: [{
              item_id: "MLB5419371492",
              title: "Console PlayStation 5 Slim 1 TB",
              url: "https://www.mercadolivre.com.br/console/p/MLB22246671",
              seller: "LOJA A",
              official_store: true,
              price: "3499.00",
              original_price: "3999.00",
              seller_reputation: "5_green",
              seller_power_status: "platinum",
              scraped_at: "2026-12-04T12:00:00.000Z",
            }],
            stock: [{ observed_at: "2026-12-04T12:00:00.000Z", available: true, available_quantity: 3 }],
            verdict: null,
          },
        },
        ...p.jsonErrors,
      },
    },
  ];
}
