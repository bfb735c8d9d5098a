/**
 * The Mercado Livre / Mercado Libre sites this project knows. A site code is the
 * prefix of every item id on that site (MLB5419371492 is Brazilian).
 */
export interface Site {
  readonly code: SiteCode;
  readonly country: string;
  /** Currency of prices on the site; some sites also list a few items in USD. */
  readonly currency: string;
  readonly otherCurrencies: readonly string[];
  /** Registrable domain: every host of the site ends with it. */
  readonly domain: string;
  /** Host of the deals pages (`/ofertas`). */
  readonly dealsHost: string;
  /** Host of the search/list pages. */
  readonly searchHost: string;
  /** Results per search page: page N starts at `_Desde_` (N-1)·size+1. */
  readonly searchPageSize: number;
  /** Host of an item's own page (`/MLB-1234567890-_JM`). */
  readonly itemHost: string;
  /** Language the site is written in; also what the scraper asks for. */
  readonly locale: string;
  /** Whether prices in the site's currency have cents (COP and CLP are drawn without). */
  readonly cents: boolean;
}

/** The large Mercado Libre sites with deal, search and product pages of the same markup. */
export const SITE_CODES = ["MLB", "MLA", "MLM", "MCO", "MLC", "MPE", "MLU"] as const;
export type SiteCode = (typeof SITE_CODES)[number];

export const SITES: Readonly<Record<SiteCode, Site>> = {
  MLB: {
    code: "MLB",
    country: "BR",
    currency: "BRL",
    otherCurrencies: [],
    domain: "mercadolivre.com.br",
    dealsHost: "www.mercadolivre.com.br",
    searchHost: "lista.mercadolivre.com.br",
    searchPageSize: 48,
    itemHost: "produto.mercadolivre.com.br",
    locale: "pt-BR",
    cents: true,
  },
  MLA: {
    code: "MLA",
    country: "AR",
    currency: "ARS",
    otherCurrencies: ["USD"],
    domain: "mercadolibre.com.ar",
    dealsHost: "www.mercadolibre.com.ar",
    searchHost: "listado.mercadolibre.com.ar",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.com.ar",
    locale: "es-AR",
    cents: true,
  },
  MLM: {
    code: "MLM",
    country: "MX",
    currency: "MXN",
    otherCurrencies: ["USD"],
    domain: "mercadolibre.com.mx",
    dealsHost: "www.mercadolibre.com.mx",
    searchHost: "listado.mercadolibre.com.mx",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.com.mx",
    locale: "es-MX",
    cents: true,
  },
  MCO: {
    code: "MCO",
    country: "CO",
    currency: "COP",
    otherCurrencies: [],
    domain: "mercadolibre.com.co",
    dealsHost: "www.mercadolibre.com.co",
    searchHost: "listado.mercadolibre.com.co",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.com.co",
    locale: "es-CO",
    cents: false,
  },
  MLC: {
    code: "MLC",
    country: "CL",
    currency: "CLP",
    otherCurrencies: [],
    domain: "mercadolibre.cl",
    dealsHost: "www.mercadolibre.cl",
    searchHost: "listado.mercadolibre.cl",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.cl",
    locale: "es-CL",
    cents: false,
  },
  MPE: {
    code: "MPE",
    country: "PE",
    currency: "PEN",
    otherCurrencies: ["USD"],
    domain: "mercadolibre.com.pe",
    dealsHost: "www.mercadolibre.com.pe",
    searchHost: "listado.mercadolibre.com.pe",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.com.pe",
    locale: "es-PE",
    cents: true,
  },
  MLU: {
    code: "MLU",
    country: "UY",
    currency: "UYU",
    otherCurrencies: ["USD"],
    domain: "mercadolibre.com.uy",
    dealsHost: "www.mercadolibre.com.uy",
    searchHost: "listado.mercadolibre.com.uy",
    searchPageSize: 50,
    itemHost: "articulo.mercadolibre.com.uy",
    locale: "es-UY",
    cents: true,
  },
};

export function isSiteCode(value: unknown): value is SiteCode {
  return typeof value === "string" && (SITE_CODES as readonly string[]).includes(value);
}

export function currenciesOf(site: SiteCode): readonly string[] {
  const s = SITES[site];
  return [s.currency, ...s.otherCurrencies];
}

/** ".<domain>" per site, built once: the check runs twice per offer on the consumer's hot path. */
const SUBDOMAIN_SUFFIX = Object.fromEntries(SITE_CODES.map((s) => [s, `.${SITES[s].domain}`])) as Record<
  SiteCode,
  string
>;

/** True when `host` is the site's domain or one of its subdomains. */
export function isHostOfSite(host: string, site: SiteCode): boolean {
  const domain = SITES[site].domain;
  const h = host.toLowerCase();
  return h === domain || h.endsWith(SUBDOMAIN_SUFFIX[site]);
}
