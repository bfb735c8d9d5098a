/**
 * The page around every view: header (with who is signed in, from the request's context), the
 * demo notice, skip link, footer. No script anywhere.
 */
import type { Child } from "hono/jsx";
import { tryGetContext } from "hono/context-storage";
import type { Person } from "../accounts/session.ts";
import { ButtonForm } from "./forms.tsx";

export interface PageContext {
  demo: boolean;
  /** Where the data is read (shown in the footer). */
  source: string;
}

export function Layout(props: { title: string; ctx: PageContext; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · ofertas</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="top">
          <a class="brand" href="/">ofertas</a>
          <span class="tagline">
            Is this discount real? Each price is compared with its lowest price of the prior 30 days.
          </span>
          <nav class="nav" aria-label="Sections">
            <a href="/">Deals</a> <a href="/items">Find an item</a> <a href="/watches">Watches</a>
            <PersonNav />
          </nav>
        </header>
        {props.ctx.demo && (
          <p class="demo" role="note">
            <strong>Demo data.</strong>{" "}
            Offers from saved Mercado Livre pages with made-up price histories, to show every verdict. Not real prices.
          </p>
        )}
        <main id="main">{props.children}</main>
        <footer class="foot">
          Verdicts by the scheduled queries' SQL (sql/), read from {props.ctx.source}.
        </footer>
      </body>
    </html>
  );
}

/** The signed-in person's links, or "Sign in" where accounts are on; nothing outside a request. */
function PersonNav() {
  const c = tryGetContext<{ Variables: { person?: Person | null; accountsOn?: boolean } }>();
  if (!c?.var.accountsOn) return null;
  const person = c.var.person;
  if (!person) return <a href="/login">Sign in</a>;
  return (
    <>
      <a href="/channels">Channels</a> <a href="/mutes">Mutes</a> <a href="/account">{person.account.login}</a>
      {person.account.role === "admin" && <a href="/people">People</a>}
      <ButtonForm action="/logout" csrf={person.csrf} label="Sign out" />
    </>
  );
}
