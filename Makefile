# The two commands a newcomer needs: `make demo` and `make test`.
GO ?= go
BIN := bin/charter

.PHONY: demo test build bench vet clean

build:
	$(GO) build -o $(BIN) ./cmd/charter

## demo: run the demo service on an embedded SQLite file with a year of history
demo: build
	./$(BIN) demo --db sqlite:charter-demo.db

## test: every test, on SQLite and PostgreSQL, with the race detector
test:
	@command -v $(GO) >/dev/null || { echo "Go 1.26 or later is needed: https://go.dev/dl/"; exit 1; }
	./scripts/ensure-postgres
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./... > /dev/null

## bench: the performance figures listed in the README
bench:
	./scripts/ensure-postgres
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

clean:
	rm -rf bin charter-demo.db charter-demo.db-*
