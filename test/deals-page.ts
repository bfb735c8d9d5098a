/**
 * A deals page (the 2026 poly-card layout, no embedded state) made of the cards a test asks
 * for: what a scripted price change looks like to the scraper (alerts, the demo's tests).
 */
export interface PageCard {
  itemId: string;
  title: string;
  /** Prices in cents. */
  price: number;
  original?: number | null;
}

const amount = (cents: number, kind: "Agora" | "Antes") => {
  const units = Math.floor(cents / 100);
  const rest = cents % 100;
  const label = rest ? `${kind}: ${units} reais com ${rest} centavos` : `${kind}: ${units} reais`;
  const fraction = String(units).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const centsPart = rest
    ? `<span>,</span><span class="andes-money-amount__cents">${String(rest).padStart(2, "0")}</span>`
    : "";
  return { label, inner: `<span class="andes-money-amount__fraction">${fraction}</span>${centsPart}` };
};

function card(c: PageCard, position: number): string {
  const now = amount(c.price, "Agora");
  const before = c.original ? amount(c.original, "Antes") : null;
  const discount = c.original ? Math.round((1 - c.price / c.original) * 100) : null;
  const digits = c.itemId.slice(3);
  return `<div class="andes-card poly-card poly-card--grid-card">
 <div class="poly-card__content">
  <h3 class="poly-component__title-wrapper"><a class="poly-component__title" href="https://produto.mercadolivre.com.br/MLB-${digits}-item-_JM#polycard_client=offers&amp;position=${position}">${c.title}</a></h3>
  <div class="poly-component__price">
   ${
    before
      ? `<s class="andes-money-amount andes-money-amount--previous" role="img" aria-label="${before.label}">${before.inner}</s>`
      : ""
  }
   <div class="poly-price__current"><span class="andes-money-amount" role="img" aria-label="${now.label}">${now.inner}</span>${
    discount ? `<span class="andes-money-amount__discount">${discount}% OFF</span>` : ""
  }</div>
  </div>
 </div>
</div>`;
}

export function dealsPage(cards: readonly PageCard[]): string {
  return `<!doctype html><html lang="pt-BR"><head><title>Ofertas | Mercado Livre</title>
<script>window.__wminit = {"custom_attributes":{"site":"MLB"}};</script></head>
<body><section id="results" class="items"><div class="items-list"><div class="items-with-smart-groups">
${cards.map((c, i) => card(c, i + 1)).join("\n")}
</div></div></section></body></html>`;
}
