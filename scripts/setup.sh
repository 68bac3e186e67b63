#!/usr/bin/env bash
# One-time setup for the integration tests (./integration): makes a Docker
# engine available (setup-docker.sh) and provides the server images
# (build-redis-image.sh 7.0 8.6 9.1): redkit/redis:7.0-local from Debian's
# Redis (the tests' default, REDIS_IMAGE), and redkit/redis:8.6-local and
# redkit/valkey:9.1-local built from source by build-server.sh
# (REDIS_8_6_IMAGE, VALKEY_9_1_IMAGE). The first run builds Redis 8.6.3 and
# Valkey 9.1.2, about 3 to 5 minutes each on 2 cores (up to 10 on a busy
# machine); their binaries are cached by version (~/.cache/redkit/servers)
# and the images kept, so later runs take seconds. Every step is
# idempotent: run it again any time.
#
# SETUP_IMAGES (default "7.0 8.6 9.1") limits the images, e.g.
# SETUP_IMAGES=7.0 for the default one alone (no build from source).
#
# Usage: scripts/setup.sh
# Then:  go test -count=1 -race ./integration/...
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"

echo "setup: step 1/2: Docker engine"
"$here/setup-docker.sh"
read -r -a images <<<"${SETUP_IMAGES:-7.0 8.6 9.1}"
echo "setup: step 2/2: server images ${images[*]} (scripts/build-redis-image.sh)"
start=$SECONDS
"$here/build-redis-image.sh" "${images[@]}"
echo "setup: done in $((SECONDS - start))s. Run the integration tests with: go test -count=1 -race ./integration/..."
