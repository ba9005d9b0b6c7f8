#!/usr/bin/env bash
# dev.sh: the two commands of the README, on a fresh Debian machine.
#   ./dev.sh demo   install what is missing, build, audit the bundled demo hierarchy
#   ./dev.sh test   install what is missing, build with sanitizers, run the whole test suite,
#                   then valgrind on the end-to-end test, cppcheck and clang-tidy on src/, and
#                   every fuzzer for a short bounded time
#   ./dev.sh fuzz [SECONDS]   run every libFuzzer harness for SECONDS each (default 600)
set -euo pipefail
cd "$(dirname "$0")"

# what the build and the demo need
packages=(gcc make cmake pkg-config freetds-dev freetds-bin libxml2-dev libsqlite3-dev
	libcmocka-dev libgnutls28-dev)
# and what the whole test suite needs besides: sqlite3 and time for the benchmark smoke run,
# Chromium for the HTML report test, valgrind, cppcheck and clang-tidy for the analysers, clang
# and its runtime for the fuzzers, openssl for the TLS tests' throwaway certificates
test_packages=(sqlite3 time chromium valgrind cppcheck clang clang-tidy libclang-rt-dev openssl)
# and, for ps_parse_collector (tests/ps-parse/run.sh: npm ci, then the PowerShell grammar, whose
# native binding node-gyp builds from source), a C++ compiler, make and python3
ps_parse_packages=(g++ make python3)
jobs=$(nproc 2>/dev/null || echo 2)

install_missing() { # install_missing PACKAGE...
	local missing=() p sudo=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "dev.sh: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# Node.js and npm only when the commands are missing: a machine may have them from elsewhere
# (NodeSource's nodejs ships its own npm, which Debian's npm package would conflict with)
install_node() {
	command -v node >/dev/null && command -v npm >/dev/null && return 0
	install_missing nodejs npm
}

build() { # build DIR [cmake options...]
	local dir=$1
	shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

# cppcheck on src/. Two findings are false positives, suppressed here rather than in the code:
# model_load.c group_pairs() is called with exactly one of values_out/cats_out set, and
# hierarchy_xml_load() stores the address of its output struct before filling it.
lint() {
	cppcheck --quiet --enable=warning,portability --error-exitcode=1 --std=c11 \
		-I src -I build/test/src -D__GNUC__ \
		--suppress=nullPointer:src/model_load.c --suppress=ctuuninitvar:src/hierarchy_xml.c \
		src/
	# .clang-tidy says which checks and why; compile flags from the sanitizer build
	ls src/*.c | xargs -P "$jobs" -n 4 clang-tidy -p build/test --quiet 2>/dev/null
}

# The end-to-end test with every susaudit it starts under valgrind (memcheck), on a build
# without sanitizers; an error or a definite leak makes susaudit exit 99 and the test fail.
# The shell popen() starts is traced too (skipping it would leave susaudit untraced); the
# tools a test pipes through (grep, sed) are not ours and are skipped.
valgrind_e2e() {
	build build/vg
	(cd build/vg && valgrind --quiet --trace-children=yes \
		--trace-children-skip='*/susdb-tds-server,*/grep,*/sed' \
		--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--child-silent-after-fork=yes ./tests/test_cli)
}

# Every fuzzer for $1 seconds (clang build with -DSUSAUDIT_FUZZ=ON, ASan+UBSan).
fuzz() {
	CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUSAUDIT_SANITIZE=ON \
		-DSUSAUDIT_FUZZ=ON -DSUSAUDIT_FUZZ_SECONDS="$1" >/dev/null
	cmake --build build/fuzz -j "$jobs" --target fuzzers
	(cd build/fuzz && ctest --output-on-failure -L fuzz -j "$jobs" --timeout $(($1 + 300)))
}

case "${1:-}" in
demo)
	install_missing "${packages[@]}"
	build build/release -DSUSAUDIT_TESTS=ON
	exec tests/fixtures/demo/run-demo.sh build/release
	;;
test)
	install_missing "${packages[@]}" "${test_packages[@]}" "${ps_parse_packages[@]}"
	install_node
	build build/test -DSUSAUDIT_SANITIZE=ON -DSUSAUDIT_WERROR=ON
	cd build/test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j "$jobs" -LE fuzz
	cd ../..
	valgrind_e2e
	lint
	fuzz 10
	;;
fuzz)
	install_missing "${packages[@]}" "${test_packages[@]}"
	fuzz "${2:-600}"
	;;
*)
	echo "usage: ./dev.sh demo | test | fuzz [SECONDS]" >&2
	exit 1
	;;
esac
