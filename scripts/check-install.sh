#!/usr/bin/env bash
# scripts/check-install.sh - `make check-install`: `make install` into a
# scratch DESTDIR, then what it installed works where it was put: the command
# runs (`--version`, `stats` on an empty pin dir), the man page renders
# without a groff warning and names every command, the bash completion
# completes a command and an option value. Removes the scratch dir on exit.
set -u
cd "$(dirname "$0")/.." || exit 1
D=$(mktemp -d /tmp/csumguard-install.XXXXXX)
trap 'rm -rf -- "$D"' EXIT
pass=0 fail=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

make -s install DESTDIR="$D" PREFIX=/usr >/dev/null || { echo "FAIL: make install"; exit 1; }
bin=$D/usr/sbin/csumguard man=$D/usr/share/man/man8/csumguard.8
comp=$D/usr/share/bash-completion/completions/csumguard
unit=$D/usr/lib/systemd/system/csumguard-agent.service
conf=$D/etc/csumguard/agent.conf
for f in "$bin" "$man" "$comp" "$unit" "$conf" "$D/usr/share/csumguard/agent.conf"; do
	[ -f "$f" ] && ok "installed $f" || bad "missing $f"
done
[ -x "$bin" ] && [ "$(stat -c %a "$bin")" = 755 ] && ok "command mode 755" || bad "command not 755"

v=$("$bin" --version) && [[ $v == "csumguard "* ]] && ok "installed command: $v" ||
	bad "installed --version: $v"
out=$("$bin" --pin-dir "/sys/fs/bpf/cginst$$" stats 2>&1)
[[ $out == "no interface has csumguard state under /sys/fs/bpf/cginst$$;"* ]] &&
	ok "installed command runs stats" || bad "installed stats: $out"
[ ! -e "/sys/fs/bpf/cginst$$" ] && ok "stats created nothing" || { bad "stats left a pin dir"; rm -rf "/sys/fs/bpf/cginst$$"; }

w=$(groff -man -ww -z "$man" 2>&1)
[ -z "$w" ] && ok "man page renders without warnings" || bad "groff: $w"
text=$(MANWIDTH=100 man -l "$man" 2>/dev/null)
for c in attach detach stats block unblock blocklist ledger agent diagnose doctor; do
	grep -q "csumguard $c" <<<"$text" || { bad "man page has no 'csumguard $c'"; continue; }
done
grep -q -- "--all-traffic" <<<"$text" && grep -q -- "--pin-dir DIR" <<<"$text" &&
	ok "man page names every command and the options" || bad "man page lacks options"

grep -q -- "--metrics-sources" <<<"$text" && grep -q -- "--textfile PATH" <<<"$text" &&
	ok "man page has the agent's options" || bad "man page lacks the agent's options"

# the agent's systemd unit: its command where install put it, systemd's own
# check (with the installed man page for Documentation=), and the config
# the unit names parses as the agent reads it
grep -qx "ExecStart=/usr/sbin/csumguard agent --config /etc/csumguard/agent.conf" "$unit" &&
	ok "unit: ExecStart is the installed command" || bad "unit: $(grep ExecStart "$unit")"
sed "s|/usr/sbin/csumguard|$bin|; s|/etc/csumguard|$D/etc/csumguard|" "$unit" >"$D/csumguard-agent.service"
out=$(MANPATH=$D/usr/share/man systemd-analyze verify "$D/csumguard-agent.service" 2>&1)
[ $? = 0 ] && [ -z "$out" ] && ok "systemd-analyze verify: the unit is valid" || bad "systemd-analyze verify: $out"
out=$("$bin" --pin-dir "/sys/fs/bpf/cginst$$" agent --config "$conf" --listen 127.0.0.1:0 2>&1)
[[ $out == *"csumguard: bad --listen '127.0.0.1:0'"* ]] && ok "installed agent refuses a bad --listen in one line" ||
	bad "installed agent: $out"
grep -qx 'interface default-route' "$conf" && ok "installed agent.conf names the default-route interface" ||
	bad "agent.conf: $(cat "$conf")"

bash -n "$comp" && ok "completion parses" || bad "completion does not parse"
got=$(bash -c 'source "$1"; COMP_WORDS=(csumguard blockl); COMP_CWORD=1; _csumguard; echo "${COMPREPLY[*]}"
COMP_WORDS=(csumguard attach eth0 --xdp-mode ""); COMP_CWORD=4; _csumguard; echo "${COMPREPLY[*]}"
COMP_WORDS=(csumguard agent --metrics-sources ""); COMP_CWORD=3; _csumguard; echo "${COMPREPLY[*]}"' _ "$comp")
[ "$got" = $'blocklist\nnative skb\nall nonok top:K' ] && ok "completion: blockl -> blocklist; --xdp-mode -> native skb; --metrics-sources -> all nonok top:K" ||
	bad "completion gave: $got"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
