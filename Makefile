# The two commands a newcomer needs: `make demo` and `make test`.
GO ?= go
BIN := bin/charter

.PHONY: demo test build assets bench vet clean

build: assets
	$(GO) build -o $(BIN) ./cmd/charter

## demo: run the demo service on an embedded SQLite file with a year of history
demo: build
	./$(BIN) demo --db sqlite:charter-demo.db

## test: every test, on SQLite and PostgreSQL, with the race detector; the
## browser tests (internal/web/browser) drive headless Chromium, which
## ensure-chromium installs when it can. Without it they skip, except in CI.
test: assets
	@command -v $(GO) >/dev/null || { echo "Go 1.26 or later is needed: https://go.dev/dl/"; exit 1; }
	./scripts/ensure-postgres
	./scripts/ensure-chromium || [ -z "$${CI:-}" ]
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./... > /dev/null

## assets: the design system's CSS, JS, icons and fonts, from npm into internal/web/static/dist
## (embedded by go build; git-ignored). npm ci runs only when node_modules is older than the lock file.
assets: node_modules/.package-lock.json
	@command -v node >/dev/null || { echo "Node.js is needed to build the web assets (make assets): https://nodejs.org/"; exit 1; }
	node scripts/build-assets.mjs

node_modules/.package-lock.json: package-lock.json package.json
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js and npm are needed to install the design system (make assets): https://nodejs.org/"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

## bench: the performance figures listed in the README
bench:
	./scripts/ensure-postgres
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

clean:
	rm -rf bin charter-demo.db charter-demo.db-*
