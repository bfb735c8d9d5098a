/**
 * A seller's standing as Mercado Libre's pages show it: the reputation thermometer's five colours
 * (worst first, as Mercado Libre's own data names them: `5_green`) and the MercadoLíder level
 * (the plain badge is `silver` in that data). Shared by the product-page parser, the contracts,
 * the watches' seller filters and the web view.
 */
export const REPUTATION_LEVELS = ["1_red", "2_orange", "3_yellow", "4_light_green", "5_green"] as const;
export type ReputationLevel = (typeof REPUTATION_LEVELS)[number];

export const POWER_SELLER_LEVELS = ["silver", "gold", "platinum"] as const;
export type PowerSellerLevel = (typeof POWER_SELLER_LEVELS)[number];

/** The reputation's colour alone, as people say it ("green", "light_green"): what a filter names. */
export const REPUTATION_COLOURS = ["red", "orange", "yellow", "light_green", "green"] as const;
export type ReputationColour = (typeof REPUTATION_COLOURS)[number];

/** 1 (red) to 5 (green); null for what is not a level. */
export function reputationRank(level: string | null | undefined): number | null {
  const i = REPUTATION_LEVELS.indexOf(level as ReputationLevel);
  return i < 0 ? null : i + 1;
}

/** 1 (silver) to 3 (platinum); 0 for a seller who is no MercadoLíder; null when unknown. */
export function powerSellerRank(level: string | null | undefined): number | null {
  if (level === null || level === undefined) return null;
  const i = POWER_SELLER_LEVELS.indexOf(level as PowerSellerLevel);
  return i < 0 ? 0 : i + 1;
}

/** "5_green" → "green": how the web view and the alerts say it. */
export const colourOf = (level: ReputationLevel): ReputationColour =>
  REPUTATION_COLOURS[REPUTATION_LEVELS.indexOf(level)]!;
