# doubletap in a container: `podman build -t doubletap .` (or docker build), then
#   podman run --rm --network host doubletap proxy --upstream http://127.0.0.1:8080 --control 127.0.0.1:7070
# NODE_IMAGE: the official Node 20 slim image by default; any Debian-based image with node and npm
# in /usr/local and a `node` user (uid 1000) works (the container test builds on a local one).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first: this layer is reused until the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-schema.mjs scripts/
COPY schema schema
COPY src src
COPY examples/shop examples/shop
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1 \
    DOUBLETAP_HEALTHZ=http://127.0.0.1:7070/healthz
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/schema schema
COPY bin bin
COPY scenarios scenarios
RUN ln -s /app/bin/doubletap.js /usr/local/bin/doubletap
# Never root: the proxy needs no privilege (use ports above 1024) and run directories go to /tmp or a volume.
USER node
EXPOSE 8081 7070
# The control API's /healthz answers without a token, also off loopback. The timeout is generous: node
# itself takes seconds to start on a loaded 2-core machine. Give --control on port 7070
# (or set DOUBLETAP_HEALTHZ) so the check finds it; `doubletap demo` and `validate` have none.
HEALTHCHECK --interval=15s --timeout=10s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.DOUBLETAP_HEALTHZ).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["doubletap"]
CMD ["--help"]
