/**
 * The project's saved item page (edge/scraper/fixtures/product/item-br.html) with scripted changes:
 * as a catalog product's page whose buy box shows a given seller's listing at a given price, as
 * an item's page at a price, and either with nothing for sale (no price, an unavailability message).
 * What the integration tests serve as Mercado Livre's product pages.
 */
import { readFileSync } from "node:fs";

const ITEM_PAGE = readFileSync(new URL("../edge/scraper/fixtures/product/item-br.html", import.meta.url), "utf8");

/** "249.90" → the page's price block's fraction and cents. */
function priced(html: string, price: string): string {
  const [reais, cents] = price.split(".") as [string, string];
  return html
    .replace('aria-label="249 reais com 90 centavos"', `aria-label="${reais} reais com ${cents} centavos"`)
    .replace(
      '<span class="andes-money-amount__fraction">249</span><span class="andes-money-amount__cents">90</span>',
      `<span class="andes-money-amount__fraction">${reais}</span><span class="andes-money-amount__cents">${cents}</span>`,
    );
}

/** Nothing for sale: no price block, the page's unavailability message. */
function soldOut(html: string): string {
  return html.replace(/<div class="ui-pdp-price">[^]*?<\/div>\s*<\/div>\s*<\/div>/, "")
    .replace("<form>", '<div class="ui-pdp-message">Este produto está indisponível.</div><form>');
}

export interface BuyBox {
  itemId: string;
  seller: string;
  price: string;
}

/** A catalog product's page (`/p/<productId>`) showing `box` in its buy box, or nothing for sale. */
export function catalogPage(productId: string, title: string, box: BuyBox | null): string {
  const canonical = `https://www.mercadolivre.com.br/console/p/${productId}`;
  let html = ITEM_PAGE
    .replaceAll("https://produto.mercadolivre.com.br/MLB-1234567890-furadeira-de-impacto-650w-_JM", canonical)
    .replace("  Furadeira de Impacto 650W  ", title);
  if (!box) return soldOut(html);
  html = priced(html, box.price)
    .replace('value="MLB1234567890"', `value="${box.itemId}"`)
    .replace("<span>FERRAGENS SILVA</span>", `<span>${box.seller}</span>`);
  return html;
}

/** An item's own page (`/MLB-<id>-…`) at `price`, or with nothing for sale. */
export function itemPage(itemId: string, price: string | null): string {
  const digits = itemId.slice(3);
  const html = ITEM_PAGE.replaceAll("MLB-1234567890", `MLB-${digits}`).replace(
    'value="MLB1234567890"',
    `value="${itemId}"`,
  );
  return price === null ? soldOut(html) : priced(html, price);
}
