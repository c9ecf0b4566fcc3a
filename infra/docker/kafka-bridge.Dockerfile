# Tandem kafka-bridge. Built from the repository root: docker build -f infra/docker/kafka-bridge.Dockerfile .
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Workspace manifests first, so the dependency layer is cached across source changes.
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/kafka-bridge/package.json apps/kafka-bridge/
COPY apps/e2e/package.json apps/e2e/
COPY apps/bench/package.json apps/bench/
COPY apps/console/package.json apps/console/
COPY apps/prom-page/package.json apps/prom-page/
COPY apps/notifier/package.json apps/notifier/
COPY apps/simulator/package.json apps/simulator/
COPY workflows/package.json workflows/
COPY activities/package.json activities/
COPY infra/package.json infra/
COPY libs/config/package.json libs/config/
COPY libs/db/package.json libs/db/
COPY libs/domain/package.json libs/domain/
COPY libs/kafka/package.json libs/kafka/
COPY libs/temporal/package.json libs/temporal/
COPY libs/testing/package.json libs/testing/
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.json ./
COPY apps ./apps
COPY workflows ./workflows
COPY activities ./activities
COPY libs ./libs
USER node
CMD ["node", "--import", "tsx", "apps/kafka-bridge/src/main.ts"]
