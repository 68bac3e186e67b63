# redkit — developer entry points.
#
#   make demo   start a disposable Redis and run the demo against it
#   make test   everything CI checks (installs what it needs on Debian)

GO       ?= go
# FUZZTIME counts executions, not seconds: with a duration, Go 1.26's fuzz
# coordinator can fail a target that found nothing at the deadline
# ("context deadline exceeded", golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 100000x
SPEC_SRC ?= ../shared/redis-spec

.PHONY: all demo test test-unit test-otel install-redis integration setup generate check-generate spec lint fuzz bench bench-cache

all: test

## demo: run `redkit demo` against a disposable Redis server.
demo:
	scripts/with-redis.sh sh -c '$(GO) run ./cmd/redkit demo --url "$$REDIS_URL"'

## test: lint, generated-code staleness, unit tests with -race, a short fuzz
## run, the integration suite against real servers, and the OpenTelemetry
## module's tests.
test: lint check-generate test-unit fuzz integration test-otel

## test-unit: unit tests with the race detector; the transport's again with
## every command on its writer and reader goroutines. redistest's own tests
## (and a few others) run Debian's redis-server, installed when missing.
test-unit: install-redis
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v /integration)
	$(GO) test -race -count=1 ./transport/ -args -always-pipeline

## test-otel: the redisotel module (its own go.mod) with -race: unit tests,
## and spans and metrics against a real server, cluster and sentinel group
## (redistest: a local redis-server, else a container).
test-otel: install-redis
	cd redisotel && $(GO) test -race -count=1 -timeout 10m ./...

## install-redis: Debian's redis-server, redis-sentinel and redis-tools
## (7.0), the local servers of redistest and of the benchmarks.
install-redis:
	scripts/install-redis.sh

## setup: Debian packages, a running Docker engine and the local server images
## (redkit/redis:7.0-local from Debian's Redis; redkit/redis:8.6-local and
## redkit/valkey:9.1-local built from source the first time, 3 to 5 minutes
## each on 2 cores, then cached). SETUP_IMAGES=7.0 limits it to the default.
setup:
	scripts/setup.sh

## integration: the dockertest suite against real servers, once per image
## of INTEGRATION_IMAGES (Redis 7.0.15, Redis 8.6.3, Valkey 9.1.2; the
## variables of scripts/setup.sh replace the local images); then, on Redis
## 7.0 only, the fault, cancellation and torture tests again with every
## command on the writer and reader goroutines (the suite's clients
## otherwise take the direct path whenever a caller is alone).
REDIS_IMAGE       ?= redkit/redis:7.0-local
REDIS_8_6_IMAGE   ?= redkit/redis:8.6-local
VALKEY_9_1_IMAGE  ?= redkit/valkey:9.1-local
INTEGRATION_IMAGES ?= $(REDIS_IMAGE) $(REDIS_8_6_IMAGE) $(VALKEY_9_1_IMAGE)
integration: setup
	@set -e; cov=$$(mktemp); trap 'rm -f "$$cov"' EXIT; \
	for image in $(INTEGRATION_IMAGES); do \
		echo "integration: the suite on $$image"; \
		REDIS_IMAGE=$$image REDKIT_COVERAGE_FILE=$$cov $(GO) test -race -count=1 -timeout 20m ./integration/...; \
	done; cat "$$cov"
	REDIS_IMAGE=$(REDIS_IMAGE) REDKIT_ALWAYS_PIPELINE=1 $(GO) test -race -count=1 -timeout 10m \
		-run 'Restart|Paused|Killed|OfflineQueue|Cancelled|Goroutines|Blocking|Torture|Misdelivered|ReplyBreaking' ./integration/...

## generate: regenerate redisclient/*_gen.go from spec/commands.
generate:
	$(GO) generate ./...

## check-generate: fail when the generated tree is stale.
check-generate:
	$(GO) generate ./...
	git diff --exit-code -- redisclient spec
	@test -z "$$(git status --porcelain -- redisclient spec)" || { git status --porcelain -- redisclient spec; echo "generated files not committed"; exit 1; }

## spec: re-import spec/commands from Redis's published specs (SPEC_SRC) and the Redis and Valkey source trees.
spec:
	scripts/import-spec.sh $(SPEC_SRC)

## lint: gofmt and go vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "gofmt needed:"; echo "$$out"; exit 1; }
	$(GO) vet ./...
	cd bench && $(GO) vet ./...
	cd redisotel && $(GO) vet ./...

## fuzz: a short run of every fuzz target.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadReply$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzParseInt$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzParseFloat$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzReplyDecoders$$' -fuzztime $(FUZZTIME) ./redisclient/

## bench: the Go micro-benchmarks, then redkit against go-redis and rueidis
## on a disposable redis-server started natively on 127.0.0.1 and on a
## disposable native 3+3 cluster, with redis-benchmark as the reference
## (BENCH_FLAGS, e.g. "-rounds 5", go to the bench module). bench-cache adds
## the client-side cache benchmark, which uses the Docker harness.
BENCH_FLAGS ?=
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./redisclient/ ./transport/...
	scripts/with-redis.sh sh -c 'cd bench && $(GO) run . -addr "$$REDIS_ADDR" $(BENCH_FLAGS)'
	scripts/with-cluster.sh sh -c 'cd bench && $(GO) run . -cluster "$$REDIS_CLUSTER_SEEDS" $(BENCH_FLAGS)'

bench-cache: setup
	$(GO) test -run '^$$' -bench 'CachedGet' -benchmem ./integration/
