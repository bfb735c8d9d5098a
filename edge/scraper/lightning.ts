/**
 * The hidden sentence of a lightning-deal countdown, e.g.
 *   "Oferta Relâmpago termina em 17 de junho de 2.026 às 3 horas e 0 minutos"
 *   "Oferta relámpago termina el 17 de junio de 2026 a las 3 horas y 0 minutos"
 * The clock time in it is UTC (it equals the state's period_end "…T03:00:00Z"), although
 * read as Brasília time it looks plausible: it is 3 h too early for that. Used only when the
 * page has no embedded state.
 */
const MONTHS: Record<string, number> = {
  janeiro: 1,
  fevereiro: 2,
  março: 3,
  marco: 3,
  abril: 4,
  maio: 5,
  junho: 6,
  julho: 7,
  agosto: 8,
  setembro: 9,
  outubro: 10,
  novembro: 11,
  dezembro: 12,
  enero: 1,
  febrero: 2,
  marzo: 3,
  mayo: 5,
  junio: 6,
  julio: 7,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
};

export function parseLightningSentence(sentence: string): string | null {
  const m =
    /(\d{1,2}) de ([a-zçñ]+) de (\d{1,2}\.?\d{3}) (?:às|a las|a la) (\d{1,2}) horas? (?:e|y) (\d{1,2}) minutos?/i.exec(
      sentence,
    );
  if (!m) return null;
  const [, day, monthName, year, hour, minute] = m as unknown as [string, string, string, string, string, string];
  const month = MONTHS[monthName.toLowerCase()];
  if (!month) return null;
  const t = new Date(Date.UTC(Number(year.replace(".", "")), month - 1, Number(day), Number(hour), Number(minute)));
  return Number.isNaN(t.getTime()) ? null : t.toISOString().replace(".000Z", "Z");
}
