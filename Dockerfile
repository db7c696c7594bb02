# syntax=docker/dockerfile:1
# One image for the API and the voice worker (docker-compose.yml picks the command):
#   node dist/src/api/server.js          the API and staff console (port 3000)
#   node dist/src/worker/main.js start   the LiveKit voice worker (health 8081, metrics 9464)

ARG NODE_IMAGE=node:20-bookworm-slim

# Node with what native modules need to build (better-sqlite3 compiles when no prebuilt binary
# is available). Debian, not Alpine: LiveKit's native bindings are built for glibc.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./

# Everything, dev dependencies included, to compile TypeScript.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, with the voice models checked: Silero VAD ships as an ONNX file in
# @livekit/agents-plugin-silero, the turn detector inside @livekit/local-inference. download-files
# fetches whatever a plugin declares (nothing in agents 1.8.1), so nothing is fetched at runtime.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund \
 && npx --no-install livekit-agents download-files \
 && npm cache clean --force
COPY scripts/check-model-files.mjs ./scripts/
RUN node scripts/check-model-files.mjs /app

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node sql ./sql
COPY --chown=node:node config ./config
# The data directory (SQLite, spooled recordings) must belong to the unprivileged user; a named
# volume mounted here starts with this ownership.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 8081 9464
# docker-compose.yml defines the health checks: the API and the worker answer on different ports.
CMD ["node", "dist/src/api/server.js"]
