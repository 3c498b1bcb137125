# Entry points; see README.md.
.PHONY: run test setup bench import

run:
	scripts/setup.sh --runtime
	cargo run --release -- serve

test:
	scripts/test.sh

setup:
	scripts/setup.sh

bench:
	cargo bench

import:
	cargo run --release -- import --shared ../shared/data --out data
