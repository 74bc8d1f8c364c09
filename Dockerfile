# syntax=docker/dockerfile:1
# The Fluxgate GitHub App as a container: Node 24 slim, non-root, read-only root file system
# friendly (writes go to /tmp and FLUXGATE_CACHE_DIR, both volumes in deploy/kubernetes).
# linux/amd64 only: the packaged helm (@fluxgate/helm-linux-x64) is a linux-x64 binary.
#   docker build -t fluxgate-app .
#   docker run --read-only --tmpfs /tmp -v fluxgate-cache:/var/cache/fluxgate \
#     -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -p 3000:3000 fluxgate-app

# 1. Build: pack the package and its helm exactly as they are published, then install the
#    tarballs without devDependencies, as a user's `npm install fluxgate` would.
FROM node:24-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# --ignore-scripts: `prepare` would also fetch tools for the test suite; the steps below are
# the parts of it (and of `prepack`) the image needs.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && node scripts/setup-tools.mjs --helm-package \
 && node scripts/build.mjs --clean --types \
 && npm pack --ignore-scripts --pack-destination /pkg \
 && (cd packages/helm-linux-x64 && npm pack --ignore-scripts --pack-destination /pkg)
WORKDIR /app
# The same dependency pin as the repository (package.json `overrides`), so the image runs the
# tree the tests ran.
RUN node -e "const fs=require('fs');const p=fs.readdirSync('/pkg');const f=(r)=>'file:/pkg/'+p.find((n)=>r.test(n));const root=require('/src/package.json');fs.writeFileSync('package.json',JSON.stringify({name:'fluxgate-app',private:true,dependencies:{fluxgate:f(/^fluxgate-\d/),'@fluxgate/helm-linux-x64':f(/^fluxgate-helm-linux-x64-/)},overrides:root.overrides},null,2))" \
 && npm install --omit=dev --no-audit --no-fund \
 && node_modules/@fluxgate/helm-linux-x64/bin/helm version --short

# 2. Run.
FROM node:24-slim
# git fetches the pull request's commits; ca-certificates for HTTPS to GitHub and chart
# repositories; tar (in the base image) unpacks charts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /var/cache/fluxgate && chown node:node /var/cache/fluxgate
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    LOG_LEVEL=info \
    FLUXGATE_CACHE_DIR=/var/cache/fluxgate \
    FLUXGATE_HELM=/app/node_modules/@fluxgate/helm-linux-x64/bin/helm
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "node_modules/probot/bin/probot.js", "run", "fluxgate/app"]
