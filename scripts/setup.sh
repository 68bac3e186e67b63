#!/usr/bin/env bash
# One-time setup for the integration tests (./integration): makes a Docker
# engine available (setup-docker.sh) and provides the Redis image the tests
# run (build-redis-image.sh; name from REDIS_IMAGE, default
# redkit/redis:7.0-local). Both steps are idempotent: run it again any time.
#
# Usage: scripts/setup.sh
# Then:  go test -count=1 -race ./integration/...
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"

echo "setup: step 1/2: Docker engine"
"$here/setup-docker.sh"
echo "setup: step 2/2: Redis image ${REDIS_IMAGE:-redkit/redis:7.0-local}"
"$here/build-redis-image.sh"
echo "setup: done. Run the integration tests with: go test -count=1 -race ./integration/..."
