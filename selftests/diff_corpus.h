/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff_corpus.h - the differential test's regression corpus: frames that
 * made (or could make) the BPF programs and the reference verifier
 * disagree, run once each on every test_xdp run (run_diff_corpus in
 * xdp_diff.c): XDP, and the TC programs when a TC test run takes the frame.
 * Every disagreement the differential test prints ends with such an entry
 * ("corpus:"): paste it here with the fix.
 *
 *	{ "what, where from", "CONFIG", gso_size, gso_segs, "HEX" "HEX..." },
 *
 * CONFIG: monitor|drop, then port=PORT:KIND (a port table change from the
 * defaults), block=ADDR or blockall=ADDR (a blocklist entry), spaces between.
 *
 * The first entries pin the boundary rules: each is the smallest frame with
 * which the differential test caught a deliberate off-by-one in the
 * reference verifier's rule (100000 frames, seeds 7-9; one such rule was
 * missed by the test's mutations before mutate.c). They must agree, as any
 * frame must; they run on every kernel the selftests run on.
 */

/* IPv6 with 9 extension headers: one more than the datapath skips, unparsed: random frame (seed 8) */
{ "IPv6 with 9 extension headers: one more than the datapath skips, unparsed", "monitor block=10.1.3.13 blockall=10.1.0.10", 0, 0,
  "02000000000202000000000186dd6000000000b82b40fd000001000000000000000000000017fd000000000000000000"
  "0000000000023c0004000000000000000104000000002b000104000000002b000400000000003c000400000000000000"
  "0104000000000000010400000000000001040000000011000104000000009c400035007061970000655800002a00ff0d"
  "24d263eda9eea31fd2199225748ac9e01da87673daf1554c1d41376c225ae71831d9607100d95709c81a4b97e595c648"
  "e76519e6f3ccb142cb92ccfdde1babd4574597f547fbefb0fe9d54b2771b16c820592b65814032e86d030da4e848" },
/* three VLAN tags: one more than the datapath follows, unparsed: random frame, mutated: port(0x2118), ip6_ext_insert(0) (seed 9) */
{ "three VLAN tags: one more than the datapath follows, unparsed", "drop block=fd00:1::11", 0, 0,
  "02000000000202000000000188a80064810000658100006608004500006612340000401153460a01010b0a0000029c40"
  "2118005220050800000000002a00cac99b3847a5364875aaf15151ffe191b8da591967c075850ff694a604df01c71bcb"
  "9318c0f61f75a100128833b4441b8bb5644e9a66cea0b22f66ec2e663cee3824" },
/* UDP length one past the IP payload: malformed: random frame, mutated: csum(any), udp_len(0x7a), trailer(0x3), csum(right) (seed 8) */
{ "UDP length one past the IP payload: malformed", "monitor block=10.1.3.13 blockall=10.1.0.10", 0, 0,
  "02000000000202000000000108004500008d1234000040114d190a0107110a0000029c4012b5007a57c84581a35938e4"
  "d3cb0efe180bb7cdfd86082fc57f777f0d1e7463600614d4f329aa63e5952c7e85190a8264e0ac5bc43ffd75254ad943"
  "773b890b3b5e23dee9fcd65e1bb4f13c504f645be742ec9d0014a86d1c918f76b029ae134180ed597afed08e09bc5405"
  "042df6dbd312c4020750e53e916f" },
/* IPv6 routing header, segments left 1: unparsed: table case "geneve v6 ok", mutated: ip6_ext_insert(0x2b), csum(right) (seed 7) */
{ "IPv6 routing header, segments left 1: unparsed", "monitor", 0, 0,
  "02000000000202000000000186dd6000000000502b40fd000000000000000000000000000001fd000000000000000000"
  "00000000000211000001000000009c4017c100505e900000655800002a00c797da984f50c8e7d7480e9c71f15b79ef22"
  "4345ffa0a9be8ed18e3f617d54c11e1851065eebcf7fc5bb4d89cd819671f8e0f77c7e10798e41e5cadc61f8db15" },
/* IPv4 first fragment, 7 bytes of UDP to a non-tunnel port, source blocked: passes: table case "blocked: later fragment dropped", mutated: ip4_totlen(0x1b), ip4_frag(0x2000) (seed 8) */
{ "IPv4 first fragment, 7 bytes of UDP to a non-tunnel port, source blocked: passes", "monitor block=10.0.0.1", 0, 0,
  "02000000000202000000000108004500001b12342000401153aa0a0000010a000002c797da984f50c8e7d7480e9c71f1"
  "5b79ef224345ffa0a9be8ed18e3f617d54c11e1851065eebcf7fc5bb4d89cd819671f8e0f77c7e10798e41e5cadc61f8"
  "db15" },
/* IPv6 fragment header, offset 0, M=1: a fragment, not atomic: random frame, mutated: flip_bits(0x50), csum(right) (seed 8) */
{ "IPv6 fragment header, offset 0, M=1: a fragment, not atomic", "monitor block=10.1.3.13 blockall=10.1.0.10", 0, 0,
  "0200000000020200000000018100006486dd60000000007c0040fd000001000000000000000000000017fd0000000000"
  "000000000000000000022c0001040000000011000001000012349c4017c0006cf0520000655801002a00a558d50cd59c"
  "d543c35d30782aa321c8f6293008ca7ff2e792c13f4a33678b38606a1950477e438e3e7a30e2ce8023cd6c9a46432c10"
  "d88558ef09e11e063204149411010833a6ebc5ee6788c0430629d28b088466cbd60631be138a" },
/* IPv4 total length = header length, a first fragment: a fragment with no payload: table case "unfinished seed v4", mutated: flip_bits(0x4), ip4_totlen(0x14), ip4_frag(0xca7d), csum(right) (seed 8) */
{ "IPv4 total length = header length, a first fragment: a fragment with no payload", "monitor", 0, 0,
  "0200000080020200000000010800450000141234ca7d401154530a0000010a0000029c4012b50050a6f6080000000000"
  "2a00c797da984f50c8e7d7480e9c71f15b79ef224345ffa0a9be8ed18e3f617d54c11e1851065eebcf7fc5bb4d89cd81"
  "9671f8e0f77c7e10798e41e5cadc61f8db15" },
/* IPv4 IHL 4: unparsed: table case "vxlan 8472 v4 ok", mutated: ip4_ihl(0x4), ip6_plen(0) (seed 7) */
{ "IPv4 IHL 4: unparsed", "monitor", 0, 0,
  "02000000000202000000000108004400006412340000401154530a0000010a0000029c40211800509893080000000000"
  "2a00c797da984f50c8e7d7480e9c71f15b79ef224345ffa0a9be8ed18e3f617d54c11e1851065eebcf7fc5bb4d89cd81"
  "9671f8e0f77c7e10798e41e5cadc61f8db15" },
