# redkit — developer entry points. `make test` is what CI runs.

GO       ?= go
FUZZTIME ?= 10s
SPEC_SRC ?= ../shared/redis-spec

.PHONY: all generate check-generate spec test test-unit fuzz lint

all: test

## generate: regenerate redisclient/*_gen.go from spec/commands.
generate:
	$(GO) generate ./...

## check-generate: fail when the generated tree is stale.
check-generate:
	$(GO) generate ./...
	git diff --exit-code -- redisclient spec
	@test -z "$$(git status --porcelain -- redisclient spec)" || { git status --porcelain -- redisclient spec; echo "untracked generated files"; exit 1; }

## spec: re-import spec/commands from Redis's published specs (SPEC_SRC).
spec:
	scripts/import-spec.sh $(SPEC_SRC)

## lint: gofmt and go vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "gofmt needed:"; echo "$$out"; exit 1; }
	$(GO) vet ./...

## test-unit: unit tests with the race detector (no servers needed).
test-unit:
	$(GO) test -race -count=1 ./...

## fuzz: a short run of every fuzz target.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadReply$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzParseInt$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzParseFloat$$' -fuzztime $(FUZZTIME) ./transport/resp/
	$(GO) test -run '^$$' -fuzz '^FuzzReplyDecoders$$' -fuzztime $(FUZZTIME) ./redisclient/

## test: everything CI checks.
test: lint check-generate test-unit fuzz
