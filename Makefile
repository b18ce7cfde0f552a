# Transfer Radar: thin wrapper over CMake.
#   make          build build/radar
#   make test     install missing Debian packages, build, run every test, then again under ASan+UBSan
#   make install  install radar, its man page and bash and zsh completions under PREFIX (/usr/local),
#                 staged under DESTDIR when given; make uninstall removes them
#   make demo     extract the bundled example articles, store them, print the board, a story explained,
#                 then import what happened and print the sources' records
#   make bench    throughput benchmark on a generated corpus (see bench/README.md)
#   make bench-store  ingest throughput and query speed of the rumour store (see bench/README.md)
#   make bench-serve  load test of radar serve with wrk, beside a running ingest (see bench/README.md)
#   make eval     the learned decisions measured: cross-validated on the training corpus, and on the shared dev sets
#   make train    refit data/model/extract.model from data/train/labels.jsonl (needs ../shared for the texts)
#   make fuzz     build and run the libFuzzer target for a minute (needs clang)
#   make fuzz-outcomes  the same for the outcomes CSV reader
#   make fuzz-feed      the same for the RSS/Atom reader
#   make fuzz-html      the same for the HTML page reader
#                 FUZZ_TIME=600 makes any of them run ten minutes (see tests/fuzz/README.md)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
DESTDIR    ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_TIME  ?= 60
# an input over 10 s, a process over 2 GB or one allocation over 512 MB is a finding
FUZZ_LIMITS ?= -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512

.PHONY: all deps test test-fast test-asan demo bench bench-store bench-serve fuzz fuzz-outcomes fuzz-feed fuzz-html \
	fuzz-configure clean install uninstall

all: $(BUILD)/radar

deps:
	@sh scripts/install-deps

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(BUILD)/radar: $(BUILD)/Makefile FORCE
	cmake --build $(BUILD) -j $(JOBS)

FORCE:

test: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan

test-fast: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRADAR_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

DEMO_DB ?= $(BUILD)/demo.db

demo: deps all
	@echo "== radar extract --format text examples/articles"
	@$(BUILD)/radar extract --format text examples/articles
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo
	@echo "== radar ingest --db $(DEMO_DB) examples/articles"
	@$(BUILD)/radar ingest --quiet --db $(DEMO_DB) examples/articles
	@echo
	@echo "== radar stories --db $(DEMO_DB)"
	@$(BUILD)/radar stories --db $(DEMO_DB)
	@echo
	@echo "== radar story 1 --explain --db $(DEMO_DB)"
	@$(BUILD)/radar story 1 --explain --db $(DEMO_DB)
	@echo
	@echo "== radar outcomes import examples/outcomes.csv --db $(DEMO_DB)"
	@$(BUILD)/radar outcomes import examples/outcomes.csv --db $(DEMO_DB)
	@$(BUILD)/radar outcomes --db $(DEMO_DB)
	@echo
	@echo "== radar sources --db $(DEMO_DB)"
	@$(BUILD)/radar sources --db $(DEMO_DB)

SHARED ?= ../shared

eval: all
	@bash tools/annotate/eval.sh $(BUILD)/radar $(SHARED)

train: all
	python3 tools/annotate/join.py $(SHARED) data/train/labels.jsonl $(BUILD)/train.jsonl
	$(BUILD)/radar train --out data/model/extract.model $(BUILD)/train.jsonl
	cmake --build $(BUILD) -j $(JOBS)

bench: deps all
	@bash bench/run.sh $(BUILD)/radar

bench-store: deps all
	@bash bench/store.sh $(BUILD)/radar

bench-serve: deps all
	@bash bench/serve.sh $(BUILD)/radar

fuzz-configure: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRADAR_FUZZ=ON

fuzz: fuzz-configure
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_extract
	mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/tests/fuzz/fuzz_extract -max_total_time=$(FUZZ_TIME) -max_len=65536 $(FUZZ_LIMITS) \
		$(FUZZ_BUILD)/corpus tests/fuzz/corpus tests/fixtures/web

fuzz-outcomes: fuzz-configure
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_outcomes
	mkdir -p $(FUZZ_BUILD)/corpus-outcomes
	$(FUZZ_BUILD)/tests/fuzz/fuzz_outcomes -max_total_time=$(FUZZ_TIME) -max_len=4096 $(FUZZ_LIMITS) \
		$(FUZZ_BUILD)/corpus-outcomes tests/fuzz/corpus-outcomes

fuzz-feed: fuzz-configure
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_feed
	mkdir -p $(FUZZ_BUILD)/corpus-feed
	$(FUZZ_BUILD)/tests/fuzz/fuzz_feed -max_total_time=$(FUZZ_TIME) -max_len=16384 $(FUZZ_LIMITS) \
		$(FUZZ_BUILD)/corpus-feed tests/fuzz/corpus-feed tests/fixtures/web

fuzz-html: fuzz-configure
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_html
	mkdir -p $(FUZZ_BUILD)/corpus-html
	$(FUZZ_BUILD)/tests/fuzz/fuzz_html -max_total_time=$(FUZZ_TIME) -max_len=16384 $(FUZZ_LIMITS) \
		$(FUZZ_BUILD)/corpus-html tests/fuzz/corpus-html tests/fixtures/web

install: all
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# the files install puts, by the same names (GNUInstallDirs' defaults)
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/radar" "$(DESTDIR)$(PREFIX)/share/man/man1/radar.1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions/radar" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_radar"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
