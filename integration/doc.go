// Package integration holds redkit's integration tests: they run the public
// client (redisclient) against real Redis servers that the tests start in
// Docker containers with redistest (the package users test their own code
// with; its Container backend runs github.com/ory/dockertest).
//
// The package has no non-test code. Its tests need a Docker engine and a
// Redis image; scripts/setup.sh provides both. Without an engine the suite
// fails (it never skips):
//
//	scripts/setup.sh
//	go test -count=1 -race ./integration/...
//
// REDIS_IMAGE selects the image (default redkit/redis:7.0-local, built by
// scripts/build-redis-image.sh from Debian's Redis). Tests of commands
// newer than the server skip, saying which version they need. Containers
// use host networking and listen on 127.0.0.1 only, on free ports.
package integration
