#!/usr/bin/env bash
# dev.sh: the two commands of the README, on a fresh Debian machine.
#   ./dev.sh demo   install what is missing, build, audit the bundled demo hierarchy
#   ./dev.sh test   install what is missing, build with sanitizers, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

packages=(gcc make cmake pkg-config freetds-dev freetds-bin libxml2-dev libsqlite3-dev
	libcmocka-dev sqlite3
	chromium) # test_html_browser opens the HTML report in headless Chromium (~20 s to install)
jobs=$(nproc 2>/dev/null || echo 2)

install_missing() {
	local missing=() p sudo=""
	for p in "${packages[@]}"; do
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

build() { # build DIR [cmake options...]
	local dir=$1
	shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
demo)
	install_missing
	build build/release -DSUSAUDIT_TESTS=ON
	exec tests/fixtures/demo/run-demo.sh build/release
	;;
test)
	install_missing
	build build/test -DSUSAUDIT_SANITIZE=ON -DSUSAUDIT_WERROR=ON
	cd build/test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j "$jobs"
	;;
*)
	echo "usage: ./dev.sh demo | test" >&2
	exit 1
	;;
esac
