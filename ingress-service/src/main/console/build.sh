#!/usr/bin/env bash
# Builds the console into ingress's classes; Maven runs this at generate-resources.
# npm ci only when node_modules is missing or older than package-lock.json (npm writes
# node_modules/.package-lock.json on every install), as the deploy tests decide for the Node client.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
