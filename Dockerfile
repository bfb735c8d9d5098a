# One image for the scrape route, the batch consumer, the enricher, the alerter, the web view and the topic initialiser (compose.yaml,
# Cloud Run). Dependencies come from package-lock.json.
FROM oven/bun:1.4.5-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json bunfig.toml ./
RUN bun install --production --ignore-scripts
COPY shared ./shared
COPY edge ./edge
COPY batch ./batch
COPY enrich ./enrich
COPY alert ./alert
COPY web ./web
COPY reports ./reports
COPY query ./query
COPY scripts ./scripts
COPY schema ./schema
COPY sql ./sql
USER bun
ENV NODE_ENV=production
EXPOSE 8080
CMD ["bun", "run", "edge/scrape-route.ts"]
