/** The page around every view: header, the demo notice, skip link, footer. No script anywhere. */
import type { Child } from "hono/jsx";

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
