/** Valid offers for tests: each test changes one field and expects one named error. */
import type { ScrapedOffer } from "../shared/contract/scraped-offer.ts";
import type { OfferMessage } from "../shared/offer.ts";

export function sampleOffer(overrides: Partial<Record<keyof ScrapedOffer, unknown>> = {}): Record<string, unknown> {
  const offer: ScrapedOffer = {
    site: "MLB",
    item_id: "MLB6225112300",
    product_id: "MLB22246671",
    user_product_id: "MLBU3779205014",
    title: "Notebook Acer Aspire 5 Ryzen 5 8gb 512gb",
    url: "https://www.mercadolivre.com.br/notebook-acer-aspire-5/p/MLB22246671",
    image_url: "https://http2.mlstatic.com/D_Q_NP_2X_759351-MLU77118311686_062024-AB.webp",
    price: "3149.00",
    original_price: "5609.00",
    discount_pct: 43,
    currency: "BRL",
    installments: { count: 10, amount: "349.99", interest_free: true },
    free_shipping: true,
    full: true,
    seller: "2Eletro",
    official_store: true,
    brand: null,
    rating: 4.9,
    reviews: 348,
    label: "OFERTA DO DIA",
    lightning_end: null,
    coupon: null,
    sponsored: false,
    position: 1,
    page: 1,
    seller_reputation: null,
    seller_power_status: null,
  };
  return { ...offer, ...overrides };
}

export function sampleMessage(overrides: Partial<Record<keyof OfferMessage, unknown>> = {}): Record<string, unknown> {
  return {
    schema_version: 1,
    scrape_id: "scrape-0001",
    scraped_at: "2026-06-16T14:05:00.000Z",
    source_url: "https://www.mercadolivre.com.br/ofertas?page=1",
    ...sampleOffer(),
    ...overrides,
  };
}
