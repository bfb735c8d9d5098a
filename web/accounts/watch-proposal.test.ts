import { describe, expect, test } from "bun:test";
import { SITE_CODES } from "../../shared/sites.ts";
import type { Watch } from "../../shared/watch/watch.ts";
import { formOfTarget, formOfWatch, inputOfForm, newWatchId } from "./watch-proposal.ts";

const target = { site: "MLB" as const, view: "search" as const, query: "cafeteira", pages: 1 };

describe("the watch form", () => {
  test("each rule's field becomes a rule with the episode settings said in the form", () => {
    const form = {
      ...formOfTarget(target),
      below: "299,90",
      real_deal: "20",
      new_low: "on",
      new_low_days: "60",
      drop: "15",
      clear_after: "1d",
      rearm_after: "7d",
    };
    const r = inputOfForm(form, ["c-aaaaaaaaaaaa"], "u-aaaaaaaaaaaa", SITE_CODES);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.input.owner).toBe("u-aaaaaaaaaaaa");
    expect(r.input.alerts?.channels).toEqual(["c-aaaaaaaaaaaa"]);
    expect(r.input.alerts?.rules.map((x) => x.kind)).toEqual(["below", "real_deal", "new_low", "drop"]);
    expect(r.input.alerts?.rules[0]).toMatchObject({ price: 299.9, clear_after: "1d", rearm_after: "7d" });
  });

  test("a wrong field is an error next to it; a site the deployment does not follow too", () => {
    const r = inputOfForm({ ...formOfTarget(target), below: "cheap", drop: "150", name: "" }, [], undefined, ["MLA"]);
    expect(r.ok ? {} : r.errors).toMatchObject({
      below: expect.stringContaining("price"),
      drop: expect.stringContaining("percentage"),
      name: expect.any(String),
      paste: expect.stringContaining("MLA"),
    });
  });

  test("a watch on a cron schedule keeps it when changed in the form", () => {
    const watch: Watch = {
      id: "w",
      name: "w",
      target,
      period: { cron: "0 9 * * 1-5", time_zone: "America/Sao_Paulo" },
      enabled: true,
      created_at: "2026-12-06T00:00:00.000Z",
      updated_at: "2026-12-06T00:00:00.000Z",
    };
    const { form } = formOfWatch(watch);
    const r = inputOfForm(form, [], undefined, SITE_CODES);
    expect(r.ok && r.input.period).toEqual({ cron: "0 9 * * 1-5", time_zone: "America/Sao_Paulo" });
  });

  test("a new watch's id is its name's words and a random tail", () => {
    expect(newWatchId('MLB search "Cafeteira Elétrica"')).toMatch(/^mlb-search-cafeteira-eletrica-[a-z2-7]{6}$/);
    expect(newWatchId("")).toMatch(/^watch-[a-z2-7]{6}$/);
  });
});
