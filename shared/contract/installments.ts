/** The instalments a card offers ("10x R$ 349,99 sem juros"). */
import * as v from "valibot";
import { money } from "./fields.ts";

export const InstallmentsSchema = v.strictObject({
  count: v.pipe(
    v.number("must be a number"),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(120, "must be at most 120"),
  ),
  amount: money,
  interest_free: v.boolean("must be true or false"),
});
