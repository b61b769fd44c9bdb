# interp — two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PACKAGES := libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libopenblas-dev libedit-dev bubblewrap

.PHONY: run test build deps bench clean

## run: install missing system packages, build in release mode, start the REPL (ARGS="..." passes arguments)
run: build
	@"$$($(SWIFT) build -c release --show-bin-path)/interp" $(ARGS)

## build: install missing system packages and build the release binary
build: deps
	$(SWIFT) build -c release --product interp

## test: install missing system packages, then run the whole test suite
test: deps
	$(SWIFT) test --disable-swift-testing

## bench: measure speed (see `interp bench --help`)
bench: build
	@"$$($(SWIFT) build -c release --show-bin-path)/interp" bench

deps:
	@bash scripts/install-deps.sh $(PACKAGES)

clean:
	rm -rf .build
