#!/usr/bin/env python3
"""q.py - reads the JSON the end-to-end tests collect (csumguard stats --json,
the fault injector's counters, /proc/net/snmp figures, sendraw's expectation)
and compares it. Standard library only.

  q.py src IFACE ADDR FIELD  < stats.json   one source's counter (0 if absent)
  q.py dst IFACE ADDR FIELD  < stats.json   one egress destination's counter (0 if absent)
  q.py counter IFACE NAME    < stats.json   an interface counter (frames, drop_bad, ...)
  q.py verdict IFACE NAME    < stats.json   an interface verdict total (ok, bad, ...)
  q.py key NAME              < object.json  a top-level number of a flat object
  q.py sources IFACE         < stats.json   "ADDR packets ok bad ..." lines, sorted
  q.py field IFACE KEY       < stats.json   KEY of the interface (name, ifindex,
                                            ifname_now) or else of its ingress, as
                                            JSON (true, null, "text"); "absent" if
                                            neither has KEY
  q.py crafted IFACE EXPECT BEFORE AFTER    compare a sendraw expectation with the
                                            csumguard counter deltas; exit 1 on mismatch

stats.json is csumguard's `stats --json`, schema version 2 (loader/README.md):
per interface an "ingress" object (the XDP program: attachment, counters,
verdicts, sources) and an "egress" one; src, counter, verdict, sources and
field read the ingress. IPv4 sources may be printed plain or v4-mapped; both
are matched.
"""
import ipaddress
import json
import sys

VERDICTS = ["ok", "bad", "unfinished", "zero", "fragment", "malformed"]
SRC_FIELDS = ["packets", "bytes"] + VERDICTS + ["unparsed", "dropped"]


def norm(addr):
    # One spelling per address; an IPv6 ::ffff:a.b.c.d stays IPv6, never
    # the IPv4 node a.b.c.d (issue 6).
    return str(ipaddress.ip_address(addr))


SCHEMA = 2


def iface(doc, name):
    """The interface object: name, ifindex, [ifname_now], ingress, egress."""
    if doc.get("version") != SCHEMA:
        sys.exit("q.py: stats --json has schema version %r; this reads %d"
                 % (doc.get("version"), SCHEMA))
    for i in doc.get("interfaces", []):
        if i.get("name") == name:
            return i
    return None


def ingress(doc, name):
    """The interface's ingress object ({} if no interface or no ingress state)."""
    return (iface(doc, name) or {}).get("ingress") or {}


def dests(doc, name):
    """The egress destination rows by address (empty without egress state)."""
    e = (iface(doc, name) or {}).get("egress") or {}
    return {norm(d["addr"]): d for d in e.get("destinations", [])}


def sources(doc, name):
    return {norm(s["addr"]): s for s in ingress(doc, name).get("sources", [])}


def counters(doc, name):
    return ingress(doc, name).get("counters", {})


def verdicts(doc, name):
    return ingress(doc, name).get("verdicts", {})


def load(path):
    with open(path) as f:
        return json.load(f)


def crafted(name, expect, before, after):
    """Every expected figure must equal the counter delta exactly."""
    bad = []
    sb, sa = sources(before, name), sources(after, name)
    cb, ca = counters(before, name), counters(after, name)
    vb, va = verdicts(before, name), verdicts(after, name)

    def delta(a, b, k):
        return a.get(k, 0) - b.get(k, 0)

    checks = [("frames", expect["frames"], delta(ca, cb, "frames")),
              ("unchecked", 0, delta(ca, cb, "unchecked")),
              ("unaccounted", 0, delta(ca, cb, "unaccounted")),
              ("dropped", expect["dropped"],
               delta(ca, cb, "drop_bad") + delta(ca, cb, "drop_blocked"))]
    for k, v in expect["kinds"].items():
        checks.append((k, v, delta(ca, cb, k)))
    for k, v in expect["verdicts"].items():
        checks.append(("verdict " + k, v, delta(va, vb, k)))
    for addr, want in expect["sources"].items():
        a = norm(addr)
        got_a, got_b = sa.get(a, {}), sb.get(a, {})
        for k in SRC_FIELDS:
            checks.append(("%s %s" % (a, k), want[k], got_a.get(k, 0) - got_b.get(k, 0)))
    unexpected = sorted(set(sa) - {norm(a) for a in expect["sources"]} - set(sb))
    for a in unexpected:
        bad.append("unexpected source %s: %s" % (a, sa[a]))
    for what, want, got in checks:
        if want != got:
            bad.append("%s: expected %d, csumguard counted %d" % (what, want, got))
    # The per-case table, for the log.
    for c in expect["cases"]:
        a = norm(c["src"]) if c["src"] else None
        got = ""
        if a:
            s, b = sa.get(a, {}), sb.get(a, {})
            got = " ".join("%s=%d" % (k, s.get(k, 0) - b.get(k, 0))
                           for k in ["packets"] + VERDICTS if s.get(k, 0) - b.get(k, 0))
        print("    %-22s x%-3d %5dB  expect %-10s %-10s  counted: %s" % (
            c["name"], c["count"], c["len"], c["kind"], c["verdict"], got or "-"))
    print("    %d checks, %d mismatches" % (len(checks), len(bad)))
    for b in bad:
        print("    MISMATCH " + b)
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "crafted":
        return crafted(argv[2], load(argv[3]), load(argv[4]), load(argv[5]))
    doc = json.load(sys.stdin)
    if cmd == "dst":
        print(dests(doc, argv[2]).get(norm(argv[3]), {}).get(argv[4], 0))
    elif cmd == "src":
        print(sources(doc, argv[2]).get(norm(argv[3]), {}).get(argv[4], 0))
    elif cmd == "counter":
        print(counters(doc, argv[2]).get(argv[3], 0))
    elif cmd == "verdict":
        print(verdicts(doc, argv[2]).get(argv[3], 0))
    elif cmd == "key":
        print(doc.get(argv[2], 0))
    elif cmd == "field":
        i = iface(doc, argv[2]) or {}
        d = i if argv[3] in i else ingress(doc, argv[2])
        print(json.dumps(d[argv[3]]) if argv[3] in d else "absent")
    elif cmd == "sources":
        for a, s in sorted(sources(doc, argv[2]).items()):
            print(a, " ".join(str(s.get(k, 0)) for k in SRC_FIELDS))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
