#!/bin/sh
# /init of the csumguard test guest. run-kernel.sh copies this file, busybox,
# cg-exit and the test binary (/test) into an initramfs; /args holds the
# test's arguments as a `set -- ...` line, /modules (optional) the modules to
# insmod from /lib/modules/csumguard-vm/ first (status 125 if one fails).
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
cd /

mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -c /dev/console ] && exec </dev/null >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
mkdir -p /run && mount -t tmpfs tmpfs /run   # xdp-tools keep their lock in /run
mount -t bpf bpf /sys/fs/bpf || echo "csumguard-vm: WARNING: could not mount bpffs on /sys/fs/bpf"
if grep -qw debugfs /proc/filesystems; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
fi
if grep -qw tracefs /proc/filesystems && [ -d /sys/kernel/tracing ]; then
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
fi
# shellcheck disable=SC3045  # busybox ash has ulimit -l
ulimit -l unlimited || echo "csumguard-vm: WARNING: ulimit -l unlimited failed"

deb=$(sed -n 's/.* Debian \([^ ]*\) .*/\1/p' /proc/version)
echo "csumguard-vm: kernel $(uname -r) (Debian ${deb:-?})"
if [ -r /sys/kernel/btf/vmlinux ]; then
	echo "csumguard-vm: /sys/kernel/btf/vmlinux present"
else
	echo "csumguard-vm: /sys/kernel/btf/vmlinux MISSING (kernel without BTF)"
fi

# Modules asked for with run-kernel.sh --module, dependencies first.
modfail=
if [ -s /modules ]; then
	while read -r m; do
		if insmod "/lib/modules/csumguard-vm/$m.ko"; then
			echo "csumguard-vm: loaded module $m"
		else
			echo "csumguard-vm: ERROR: insmod $m.ko failed"
			modfail=$m
			break
		fi
	done </modules
fi

. /args
if [ -n "$modfail" ]; then
	echo "csumguard-vm: not running /test: module $modfail did not load"
	rc=125
else
	echo "csumguard-vm: running /test${*:+ $*}"
	/test "$@"
	rc=$?
	echo "csumguard-vm: /test exited with status $rc"
fi
echo "@@CG-VM-STATUS $rc@@"

/sbin/cg-exit "$rc"
# Only reached without the isa-debug-exit device: the host sees qemu exit 0
# and treats it as "no status reported".
poweroff -f
