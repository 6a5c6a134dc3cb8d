#!/usr/bin/env bash
# Installs the Debian 12 packages csumguard needs to build, test and benchmark.
# Idempotent: packages already present are not fetched again. Run as root.
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config
	libbpf-dev libxdp-dev xdp-tools bpftool
	libelf-dev zlib1g-dev linux-libc-dev
	libcmocka-dev
	# unit tests: localedef builds a decimal-comma locale (tests/test_json.c)
	locales
	# check-install: groff checks the generated man page
	groff-base
	iproute2 ethtool
	# end-to-end lab (selftests/e2e, make demo): ping through the overlay
	iputils-ping python3
	# e2e test "gate": delays a command's bpf() calls to force an interleaving
	strace
	# make bench-e2e: TCP and UDP throughput through the lab's VXLAN path
	iperf3
	# qemu boot of Debian's 6.1 kernel for the old-kernel selftests
	qemu-system-x86 busybox-static cpio
	# csumguard agent: its /metrics HTTP server
	libmicrohttpd-dev
	# agent tests: promtool (check metrics, test rules) and a real Prometheus
	# server scraping the lab's agents; curl asks the agents and Prometheus
	prometheus curl
	# check-install: systemd-analyze verify checks the agent's unit
	systemd
	# e2e test "watch_tmux": the live view captured from a real terminal
	tmux
	# fuzz/: libFuzzer and the sanitizer runtimes of clang 14; check-valgrind
	libclang-rt-14-dev valgrind file
	# e2e test "trace_pcap": tshark reads trace --pcap and checks the checksums
	tshark
)
# deploy/'s schema check (scripts/k8s-validate.sh) runs on Node.js with npm.
# A nodejs package that brings its own npm (NodeSource's) conflicts with
# Debian's npm package: ask for them only when the commands are missing.
command -v node >/dev/null || PKGS+=(nodejs)
command -v npm >/dev/null || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run as root (sudo $0)" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark's wireshark-common asks whether non-root users may capture: no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
