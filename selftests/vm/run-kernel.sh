#!/usr/bin/env bash
# run-kernel.sh [--add HOST[:GUEST]]... [--module NAME]... VERSION BINARY [ARGS...]
#
# Boots Debian's own cloud-flavour kernel VERSION under qemu (TCG, no KVM) with
# a busybox initramfs, runs the statically linked BINARY (or a #!/bin/sh
# script, run by busybox sh) there as /test ARGS..., and exits with its exit
# status.
#
# Options (before VERSION):
#   --add HOST[:GUEST]  copy the file HOST into the guest at the absolute path
#                       GUEST (default: HOST's absolute path); a dynamically
#                       linked HOST brings its loader and the libraries ldd
#                       names, at their host paths
#   --module NAME       take NAME.ko (and the modules it depends on) from the
#                       kernel package and insmod it before the test runs
#
# Exit status: the test's status (0..127, higher values capped at 127), or
#   2  set-up error on the host (usage, binary, kernel download, build tools)
#   3  the guest gave no status (panic, timeout, qemu failure)
# (125 from the guest: a --module failed to load, the test did not run)
# Messages from this script start with "run-kernel:" and go to stderr; the
# guest's console goes to stdout, each line prefixed with "guest| ".
#
# Environment:
#   CG_VM_CACHE    cache directory (default: <repo>/build/vm-cache)
#   CG_VM_TIMEOUT  seconds before qemu is killed (default: 300)
#   CG_VM_MEM      guest memory in MiB (default: 1024)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${CG_VM_CACHE:-$REPO/build/vm-cache}
TIMEOUT=${CG_VM_TIMEOUT:-300}
MEM=${CG_VM_MEM:-1024}

msg() { printf 'run-kernel: %s\n' "$*" >&2; }
die() { local rc=$1; shift; msg "$*"; exit "$rc"; }

usage() {
	echo "usage: $0 [--add HOST[:GUEST]]... [--module NAME]... VERSION BINARY [ARGS...]   (VERSION: 5.10, 6.1 or 6.12)" >&2
	exit 2
}

ADDS=()
MODULES=()
while [ $# -gt 0 ]; do
	case $1 in
	--add) [ $# -ge 2 ] || usage; ADDS+=("$2"); shift 2 ;;
	--add=*) ADDS+=("${1#--add=}"); shift ;;
	--module) [ $# -ge 2 ] || usage; MODULES+=("$2"); shift 2 ;;
	--module=*) MODULES+=("${1#--module=}"); shift ;;
	--) shift; break ;;
	-h | --help) usage ;;
	-*) msg "unknown option '$1'"; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
VERSION=$1
BINARY=$2
shift 2

[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die 2 "CG_VM_TIMEOUT='$TIMEOUT' is not a number of seconds"
[[ $MEM =~ ^[1-9][0-9]*$ ]] || die 2 "CG_VM_MEM='$MEM' is not a number of MiB"

# --- temporary files: one directory, removed on every exit path -------------
TMP=
STAGE=
# shellcheck disable=SC2317  # called from traps
cleanup() {
	[ -n "$TMP" ] && rm -rf -- "$TMP"
	[ -n "$STAGE" ] && rm -rf -- "$STAGE"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
TMP=$(mktemp -d "${TMPDIR:-/tmp}/csumguard-vm.XXXXXX")

# --- host tools and the test binary -------------------------------------------
need() {
	command -v "$1" >/dev/null 2>&1 ||
		die 2 "'$1' not found (package $2); install it with: sudo ./scripts/deps.sh"
}
need qemu-system-x86_64 qemu-system-x86
need busybox busybox-static
need gcc gcc
need readelf binutils
need timeout coreutils
need gzip gzip

[ -e "$BINARY" ] || die 2 "test binary '$BINARY' does not exist (build it first, e.g. make build/selftests/test_xdp.static)"
if [ ! -f "$BINARY" ] || [ ! -r "$BINARY" ]; then
	die 2 "test binary '$BINARY' is not a readable file"
fi
if [ "$(head -c 2 "$BINARY")" = '#!' ]; then
	# A script: only the guest's busybox sh can run it.
	read -r shebang <"$BINARY" || true
	case $shebang in
	'#!/bin/sh' | '#!/bin/sh '*) ;;
	*) die 2 "test script '$BINARY' must start with #!/bin/sh (the guest has busybox sh only), not '$shebang'" ;;
	esac
else
	readelf -h "$BINARY" >/dev/null 2>&1 || die 2 "test binary '$BINARY' is not an ELF executable or a #!/bin/sh script"
	if readelf -l "$BINARY" 2>/dev/null | grep -q 'program interpreter'; then
		die 2 "test binary '$BINARY' is dynamically linked; the guest has no libraries (link it with gcc -static)"
	fi
fi
for spec in "${ADDS[@]}"; do
	host=${spec%%:*}
	[ -f "$host" ] && [ -r "$host" ] || die 2 "--add '$spec': '$host' is not a readable file (build or install it first)"
	if [ "$host" != "$spec" ]; then
		case ${spec#*:} in
		/?*) ;;
		*) die 2 "--add '$spec': the guest path must be absolute" ;;
		esac
	fi
done
for m in "${MODULES[@]}"; do
	[[ $m =~ ^[A-Za-z0-9_-]+$ ]] || die 2 "--module '$m': give a module name such as veth"
done
BUSYBOX=$(command -v busybox)
if readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'program interpreter'; then
	die 2 "$BUSYBOX is not statically linked; install busybox-static (sudo ./scripts/deps.sh)"
fi

# --- kernel versions ------------------------------------------------------------
# Each version defines:
#   resolve_pkg_<V>  prints the linux-image package name to download (uses apt_*)
#   APT_OPTS         extra apt options (e.g. a private configuration for bullseye)
# To add a version, add a case below (see selftests/vm/README.md).
APT_OPTS=()

resolve_pkg_6_1() {
	# Debian 12's cloud meta package depends on the current 6.1 ABI package.
	apt_cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-cloud-amd64\)$/\1/p' | head -n1
}

resolve_pkg_6_12() {
	# bookworm-security: no meta package; the newest signed cloud image.
	apt_cache pkgnames linux-image-6.12. 2>/dev/null | grep -- '-cloud-amd64$' | sort -V |
		tail -n1
}

resolve_pkg_5_10() {
	# bullseye-security (and bullseye): no meta package in the private
	# lists' view worth trusting over the newest ABI; the newest cloud image.
	apt_cache pkgnames linux-image-5.10. 2>/dev/null | grep -- '-cloud-amd64$' | sort -V |
		tail -n1
}

# Debian 11's suites through a private apt configuration under the cache: its
# own sources list, lists, package cache and (empty) dpkg status, nothing
# read from or written to the machine's sources, lists or status. The
# bookworm keyring (debian-archive-keyring) still holds the bullseye keys.
private_apt_bullseye() {
	local d=$CACHE/apt-bullseye keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -r "$keyring" ] || die 2 "$keyring not found (package debian-archive-keyring); install it with: sudo apt-get install debian-archive-keyring"
	mkdir -p "$d/etc/preferences.d" "$d/state/lists/partial" "$d/cache/archives/partial" ||
		die 2 "cannot create the private apt directories under $d"
	cat >"$d/etc/sources.list.tmp" <<-EOF
		deb [signed-by=$keyring] http://deb.debian.org/debian bullseye main
		deb [signed-by=$keyring] http://deb.debian.org/debian-security bullseye-security main
	EOF
	mv -f "$d/etc/sources.list.tmp" "$d/etc/sources.list"
	[ -e "$d/state/status" ] || : >"$d/state/status"
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$d/etc/sources.list"
		-o "Dir::Etc::SourceParts=$d/etc/sources.list.d"
		-o "Dir::Etc::Preferences=$d/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$d/etc/preferences.d"
		-o "Dir::State=$d/state"
		-o "Dir::State::status=$d/state/status"
		-o "Dir::Cache=$d/cache"
		-o "APT::Architecture=amd64"
	)
	PRIVATE_APT=$d
}
PRIVATE_APT=

case $VERSION in
5.10) RESOLVE=resolve_pkg_5_10 ;;
6.1) RESOLVE=resolve_pkg_6_1 ;;
6.12) RESOLVE=resolve_pkg_6_12 ;;
*) die 2 "kernel version '$VERSION' is not supported (supported: 5.10, 6.1, 6.12); see selftests/vm/README.md" ;;
esac

apt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }
apt_get() { apt-get -o APT::Sandbox::User=root "${APT_OPTS[@]}" "$@"; }

APT_UPDATED=0
apt_update_once() {
	[ "$APT_UPDATED" -eq 0 ] || return 1
	APT_UPDATED=1
	if [ "${#APT_OPTS[@]}" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
		msg "package lists may be missing or stale and apt-get update needs root"
		return 1
	fi
	msg "running apt-get update (package lists missing or stale)"
	apt_get update -qq >"$TMP/apt-update.log" 2>&1 || {
		sed 's/^/run-kernel: apt-get update: /' "$TMP/apt-update.log" >&2
		return 1
	}
}

# fetch_kernel DIR: download and unpack the kernel package into DIR (new).
fetch_kernel() {
	local dir=$1 pkg deb fix="run 'sudo apt-get update' (Debian 12 sources needed), then retry"
	if [ "$VERSION" = 5.10 ]; then
		private_apt_bullseye
		fix="check access to deb.debian.org (bullseye, bullseye-security), then retry; the private apt lists are in $PRIVATE_APT"
	fi
	pkg=$($RESOLVE || true)
	if [ -z "$pkg" ] && apt_update_once; then
		pkg=$($RESOLVE || true)
	fi
	[ -n "$pkg" ] || die 2 "cannot find Debian's $VERSION cloud kernel package in the apt lists; fix: $fix"

	mkdir -p "$TMP/dl"
	msg "downloading $pkg (first run for $VERSION; cached in $CACHE afterwards)"
	if ! (cd "$TMP/dl" && apt_get download -q "$pkg") >"$TMP/apt-dl.log" 2>&1; then
		if apt_update_once; then
			pkg=$($RESOLVE || true)
			[ -n "$pkg" ] && (cd "$TMP/dl" && apt_get download -q "$pkg") >"$TMP/apt-dl.log" 2>&1 || pkg=
		else
			pkg=
		fi
		if [ -z "$pkg" ]; then
			sed 's/^/run-kernel: apt-get download: /' "$TMP/apt-dl.log" >&2
			die 2 "could not download Debian's $VERSION kernel (no access to deb.debian.org or stale lists); fix: check the network/mirror; $fix"
		fi
	fi
	deb=$(ls "$TMP"/dl/"$pkg"_*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || die 2 "apt-get download of $pkg produced no .deb"

	dpkg-deb -x "$deb" "$TMP/root" || die 2 "dpkg-deb -x failed on $deb"
	local vmlinuz config
	vmlinuz=$(ls "$TMP"/root/boot/vmlinuz-* 2>/dev/null | head -n1)
	config=$(ls "$TMP"/root/boot/config-* 2>/dev/null | head -n1)
	[ -n "$vmlinuz" ] || die 2 "$deb contains no /boot/vmlinuz-*"
	cp "$vmlinuz" "$dir/vmlinuz"
	[ -z "$config" ] || cp "$config" "$dir/config"
	# Keep the .deb: modules can be unpacked from it later without network.
	cp "$deb" "$dir/"
	dpkg-deb -f "$deb" Package Version | awk '{v[NR] = $2} END {print v[1], v[2]}' >"$dir/package"
}

KDIR=$CACHE/kernel-$VERSION
mkdir -p "$CACHE" || die 2 "cannot create cache directory $CACHE"
if [ ! -s "$KDIR/vmlinuz" ]; then
	STAGE=$(mktemp -d "$CACHE/.kernel-$VERSION.XXXXXX")
	chmod 755 "$STAGE"
	fetch_kernel "$STAGE"
	[ -s "$KDIR/vmlinuz" ] || rm -rf -- "$KDIR"   # a concurrent run may have won
	if mv -T "$STAGE" "$KDIR" 2>/dev/null; then STAGE=; fi
	[ -s "$KDIR/vmlinuz" ] || die 2 "kernel cache $KDIR is incomplete; remove it and retry"
fi
KPKG=$(cat "$KDIR/package" 2>/dev/null || echo "kernel $VERSION")

# --- kernel modules (--module) ---------------------------------------------------
# Taken from the cached .deb (no network), decompressed if need be, cached in
# $KDIR/modules/NAME.ko with their `depends=` list in NAME.deps. The guest's
# /init insmods them in the order of /modules (dependencies first).
MODORDER=()
module_fetch() { # NAME: make $KDIR/modules/NAME.ko and NAME.deps exist
	local name=$1 deb path tmp dir=$KDIR/modules
	[ -s "$dir/$name.ko" ] && [ -e "$dir/$name.deps" ] && return 0
	deb=$(ls "$KDIR"/*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || die 2 "no kernel .deb in $KDIR to take module $name from; remove $KDIR and retry (it is downloaded again)"
	mkdir -p "$dir"
	if [ ! -s "$dir/list" ]; then
		dpkg-deb -c "$deb" | awk '{print $NF}' | grep -E '/kernel/.*\.ko(\.xz|\.zst|\.gz)?$' >"$TMP/modlist" ||
			die 2 "cannot list the modules in $deb"
		mv -f "$TMP/modlist" "$dir/list"
	fi
	# Module names use _ where file names may use -.
	path=$(awk -v n="$name" '{ b = $0; sub(/.*\//, "", b); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", b);
		gsub(/-/, "_", b); m = n; gsub(/-/, "_", m); if (b == m) { print; exit } }' "$dir/list")
	[ -n "$path" ] || die 2 "module $name is not in $(basename "$deb") (built in, or no such module: grep CONFIG_ $KDIR/config)"
	tmp=$TMP/mod.$name
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O -f - "$path" >"$tmp.raw" ||
		die 2 "cannot extract $path from $deb"
	case $path in
	*.xz) xz -dc "$tmp.raw" >"$tmp.ko" || die 2 "cannot decompress $path (needs xz-utils)" ;;
	*.zst) zstd -qdc "$tmp.raw" >"$tmp.ko" || die 2 "cannot decompress $path (needs zstd)" ;;
	*.gz) gzip -dc "$tmp.raw" >"$tmp.ko" || die 2 "cannot decompress $path" ;;
	*) mv -f "$tmp.raw" "$tmp.ko" ;;
	esac
	objcopy -O binary --only-section=.modinfo "$tmp.ko" "$tmp.modinfo" 2>/dev/null ||
		die 2 "$path has no .modinfo section; is it a kernel module?"
	tr '\0' '\n' <"$tmp.modinfo" | sed -n 's/^depends=//p' | tr ',' ' ' >"$tmp.deps"
	mv -f "$tmp.ko" "$dir/$name.ko"
	mv -f "$tmp.deps" "$dir/$name.deps"
}
module_add() { # NAME [CHAIN]: NAME's dependencies, then NAME, into MODORDER
	local name=$1 chain=${2:-} m d
	for m in "${MODORDER[@]}"; do [ "$m" = "$name" ] && return 0; done
	case " $chain " in *" $name "*) die 2 "module dependency loop: $chain $name" ;; esac
	module_fetch "$name"
	for d in $(cat "$KDIR/modules/$name.deps"); do
		module_add "$d" "$chain $name"
	done
	MODORDER+=("$name")
}
if [ "${#MODULES[@]}" -gt 0 ]; then
	need dpkg-deb dpkg
	need objcopy binutils
	for m in "${MODULES[@]}"; do module_add "$m"; done
fi

# --- the isa-debug-exit helper (static, built once per source change) --------
TOOLS=$CACHE/tools
mkdir -p "$TOOLS"
if [ ! -x "$TOOLS/cg-exit" ] || [ "$HERE/cg-exit.c" -nt "$TOOLS/cg-exit" ]; then
	gcc -static -O2 -Wall -o "$TMP/cg-exit" "$HERE/cg-exit.c" 2>"$TMP/gcc.log" || {
		cat "$TMP/gcc.log" >&2
		die 2 "cannot build the static cg-exit helper (needs gcc and libc6-dev)"
	}
	mv -f "$TMP/cg-exit" "$TOOLS/cg-exit"
fi

# --- initramfs ------------------------------------------------------------------
# Two gzip'd newc archives, concatenated (the kernel unpacks them in turn):
# a cached base (busybox and its ~270 applet links, cg-exit, device nodes) and
# a per-run part (/init, /args, /test). Creating the links takes ~1.5 s, so the
# base is rebuilt only when busybox, cg-exit or this script change.
BASE=$TOOLS/base-initrd.gz
if [ ! -s "$BASE" ] || [ "$BUSYBOX" -nt "$BASE" ] || [ "$TOOLS/cg-exit" -nt "$BASE" ] ||
	[ "$HERE/run-kernel.sh" -nt "$BASE" ]; then
	B=$TMP/base
	mkdir -p "$B"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc}
	cp "$BUSYBOX" "$B/bin/busybox"
	for applet in $("$BUSYBOX" --list-full); do
		[ -e "$B/$applet" ] || ln -s /bin/busybox "$B/$applet"
	done
	cp "$TOOLS/cg-exit" "$B/sbin/cg-exit"
	chmod 0755 "$B/sbin/cg-exit"
	# The kernel opens /dev/console before /init runs; devtmpfs comes later.
	mknod -m 600 "$B/dev/console" c 5 1 2>/dev/null || true
	mknod -m 666 "$B/dev/null" c 1 3 2>/dev/null || true
	(cd "$B" && find . -mindepth 1 | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) |
		gzip -1 >"$TMP/base-initrd.gz"
	mv -f "$TMP/base-initrd.gz" "$BASE"
fi

R=$TMP/initramfs
mkdir -p "$R"
cp "$HERE/init.sh" "$R/init"
cp "$BINARY" "$R/test"
chmod 0755 "$R/init" "$R/test"
{
	printf 'set --'
	for a in "$@"; do
		printf " '%s'" "${a//\'/\'\\\'\'}"
	done
	printf '\n'
} >"$R/args"
# Modules and --add files.
if [ "${#MODORDER[@]}" -gt 0 ]; then
	mkdir -p "$R/lib/modules/csumguard-vm"
	for m in "${MODORDER[@]}"; do
		cp "$KDIR/modules/$m.ko" "$R/lib/modules/csumguard-vm/$m.ko"
		echo "$m"
	done >"$R/modules"
fi
add_file() { # HOST GUEST
	mkdir -p "$R$(dirname "$2")"
	cp -L "$1" "$R$2"
}
for spec in "${ADDS[@]}"; do
	host=${spec%%:*}
	if [ "$host" = "$spec" ]; then
		guest=$(realpath -s "$host")
	else
		guest=${spec#*:}
	fi
	add_file "$host" "$guest"
	interp=$(readelf -l "$host" 2>/dev/null | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p')
	if [ -n "$interp" ]; then
		need ldd libc-bin
		[ -e "$R$interp" ] || add_file "$interp" "$interp"
		libs=$(ldd "$host" | sed -n 's/.* => \(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p') ||
			die 2 "ldd $host failed"
		if ldd "$host" | grep -q 'not found'; then
			die 2 "--add $host: ldd cannot find all its libraries: $(ldd "$host" | grep 'not found' | tr -s ' \t\n' ' ')"
		fi
		for lib in $libs; do
			[ -e "$R$lib" ] || add_file "$lib" "$lib"
		done
	fi
done
{
	cat "$BASE"
	(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -1
} >"$TMP/initrd.gz"

# --- boot ------------------------------------------------------------------------
[ "${#MODORDER[@]}" -eq 0 ] || msg "modules for the guest: ${MODORDER[*]}"
[ "${#ADDS[@]}" -eq 0 ] || msg "files added to the guest: ${#ADDS[@]} (+ the libraries of dynamic ones), initramfs $(($(stat -c %s "$TMP/initrd.gz") / 1024)) KiB"
msg "booting $KPKG under qemu (TCG, ${MEM} MiB, timeout ${TIMEOUT}s): /test${*:+ $*}"
echo "==== guest console: $(basename "$BINARY") on Debian $VERSION ($KPKG) ===="
start=$(date +%s.%N)
set +e
timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -m "$MEM" -nographic -no-reboot \
	-kernel "$KDIR/vmlinuz" -initrd "$TMP/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-nic none -fw_cfg name=etc/sercon-port,string=0 \
	</dev/null 2>"$TMP/qemu.err" |
	sed -u 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c78]//g' | tee "$TMP/console.log" | sed -u 's/^/guest| /'
st=("${PIPESTATUS[@]}")
set -e
qrc=${st[0]}
secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
echo "==== end of guest console (${secs}s) ===="
# etc/sercon-port=0 silences SeaBIOS on the serial line; qemu warns about the name.
grep -v 'etc/sercon-port.*should be prefixed' "$TMP/qemu.err" | sed 's/^/run-kernel: qemu: /' >&2 || true

# --- result ------------------------------------------------------------------
guest_kernel=$(sed -n 's/^csumguard-vm: kernel \(.*\)$/\1/p' "$TMP/console.log" | head -n1)
marker=$(sed -n 's/^@@CG-VM-STATUS \([0-9]*\)@@$/\1/p' "$TMP/console.log" | tail -n1)

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	die 3 "guest did not finish within ${TIMEOUT}s (qemu killed); raise CG_VM_TIMEOUT or look at the console above"
fi
if [ "$qrc" -eq 0 ]; then
	if grep -q 'Kernel panic' "$TMP/console.log"; then
		die 3 "guest kernel panicked before reporting a status (see console above)"
	fi
	die 3 "guest reset or powered off without reporting a status (no isa-debug-exit write)"
fi
if [ $((qrc % 2)) -eq 1 ]; then
	status=$(((qrc - 1) / 2))
	if [ -z "$marker" ]; then
		if [ "$qrc" -eq 1 ]; then
			die 3 "qemu exited 1 and the guest printed no status: qemu failed to start or the guest never ran the test"
		fi
		msg "warning: status $status came through isa-debug-exit but its console line was lost"
	else
		want=$marker
		[ "$want" -le 127 ] || want=127
		[ "$want" -eq "$status" ] || msg "warning: console says status $marker, isa-debug-exit says $status; using $status"
	fi
	msg "guest kernel ${guest_kernel:-unknown}: test exited with status $status after ${secs}s"
	exit "$status"
fi
die 3 "qemu exited with unexpected status $qrc and the guest reported no status"
