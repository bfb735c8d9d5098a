/**
 * `GET /products/:site/:id` and its JSON twin `GET /api/products/:site/:id`: a catalog product
 * across its sellers over the 30 days up to `date` (product.ts, the product verdict's own window).
 * The query string is the item page's (ItemQuery: one schema, described by /openapi.json).
 */
import type { Context, Hono } from "hono";
import { isSiteCode } from "../shared/sites.ts";
import { addDays } from "../shared/sql-templates.ts";
import type { WebEnv } from "./app.tsx";
import { ItemQuery } from "./item-query.ts";
import { readQuery } from "./query-params.ts";
import { ProductPage } from "./views/product-page.tsx";
import type { PageContext } from "./views/layout.tsx";
import { BadRequest, NotFound } from "./web-errors.tsx";

const PRODUCT_ID = /^[A-Z]{3}\d{3,15}$/;
/** Days a product page shows: the window of its verdict. */
export const PRODUCT_DAYS_SHOWN = 30;

export function productRoutes(app: Hono<WebEnv>, deps: { ctx: PageContext; today: () => string }) {
  async function productOf(c: Context<WebEnv>) {
    const site = c.req.param("site") ?? "";
    const productId = c.req.param("id") ?? "";
    if (!isSiteCode(site) || !PRODUCT_ID.test(productId) || !productId.startsWith(site)) {
      throw new BadRequest("no such product id");
    }
    const last = readQuery(ItemQuery, c.req.query()).date ?? deps.today();
    const first = addDays(last, -(PRODUCT_DAYS_SHOWN - 1));
    const source = c.var.source;
    if (!source.product) throw new BadRequest("this source shows no products");
    return { first, last, view: await source.product({ site, productId, first, last }) };
  }

  app.get("/products/:site/:id", async (c) => {
    const p = await productOf(c);
    if (p.view.days.length === 0 && p.view.sellers.length === 0 && p.view.stock.length === 0) {
      return c.html(<NotFound ctx={deps.ctx} what={`${p.view.site} product ${p.view.product_id}`} />, 404);
    }
    return c.html(<ProductPage ctx={deps.ctx} {...p} />);
  });

  app.get("/api/products/:site/:id", async (c) => {
    const p = await productOf(c);
    return c.json({ first: p.first, last: p.last, ...p.view });
  });
}
