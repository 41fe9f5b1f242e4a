# The BMS onboarding service (`memscope serve`), instrumented with memscope: the system under test of compose.yaml.
# Build from the repository root: docker build -f deploy/docker/bms.Dockerfile -t memscope/bms .
# bms.Dockerfile.dockerignore (BuildKit reads it for this Dockerfile) keeps the context to what is copied below;
# the repository's .dockerignore says the same for the legacy builder (docker-compose 1.x), which reads only that one.
# No `# syntax=` line: BuildKit would fetch a frontend image from Docker Hub for it, and nothing here needs one.

# Node 24 (the current LTS), the runtime npm test runs the suite on; slim: no compiler, no curl.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service's user: the process cannot change its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY assets ./assets
USER node
EXPOSE 3000
# Slim images have no curl or wget: Node's own fetch asks /healthz (liveness; /readyz is for load balancers).
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, no shell in between: SIGTERM reaches node (directly, or through compose's init), so `docker stop`
# drains accepted jobs (compose.yaml gives it stop_grace_period: 35s).
CMD ["node", "dist/cli/main.js", "serve", "--host", "0.0.0.0", "--port", "3000"]
