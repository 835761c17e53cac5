# The in-cluster scanner's image, ghcr.io/kubeladder/kubeladder:<package version>, which the
# CronJob of `kubeladder generate in-cluster` runs (docs/in-cluster.md):
#
#   docker build -t ghcr.io/kubeladder/kubeladder:$(node -p "require('./package.json').version") .
#
# Distroless: node and the CA certificates, no shell, no package manager; user 65532 (nonroot),
# which the generated pod also sets. Nothing is written but /tmp (an emptyDir there).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` compiles, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# package.json: the version `kubeladder version` prints; deploy/crds: the CRDs
# `scan --write-reports` installs when absent.
COPY package.json ./
COPY bin ./bin
COPY deploy/crds ./deploy/crds
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/kubeladder.js"]
