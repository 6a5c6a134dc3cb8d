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
 * CONFIG: monitor|drop, then any of: repair, drop-unknown, sample=N,
 * port=PORT:KIND (a port table change from the defaults), block=ADDR or
 * blockall=ADDR (a blocklist entry; ",expired" after ADDR: its expiry has
 * passed), node=ADDR/TTL (a known node, TTL 0: not learnt yet); spaces
 * between. The sampling countdown starts afresh for each entry.
 *
 * The first 8 entries pin the boundary rules: each is the smallest frame
 * with which the differential test caught a deliberate off-by-one in the
 * reference verifier's rule (100000 frames, seeds 7-9; one such rule was
 * missed by the test's mutations before mutate.c). The last three are the
 * first frames that caught three more planted off-by-ones (README "Fuzzing").
 * They must agree, as any frame must; they run on every kernel the
 * selftests run on, through every XDP variant (and the TC programs when a
 * TC test run takes the frame).
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

/* GSO skb of 2 segments: its weight is 2 (caught a weight counted 1 for
 * gso_segs 2 in the TC program at frame 58-234 of 100000, seeds 1-3):
 * random frame 234 of seed 1 */
{ "GSO skb of 2 segments, the with-length seed: offloaded, 2 wire packets", "monitor drop-unknown port=53:vxlan port=6080:gue blockall=10.1.5.15 block=fd00::1,expired node=fd00:1::12/63 node=10.0.0.1/64 node=10.1.1.11/0 node=10.1.5.15/63", 1400, 2,
	"0200000000020200000000018100006408004f0005a21234000040112ff60a01010b0a00000201010101010101010101"
	"0101010101010101010101010101010101010101010101010101010101019c40211805661a850800000000002a000200"
	"00000102020000000101810000c8080045000539432100b9402fae68c0a80101c0a801029c41000717af12abfe88e2b5"
	"913f0085c8034c3e98bad9987a0aec1b2728e261c71cbe8e33613b9f4eb9f383e0028557e6888e095e5ed54a0b13e1a8"
	"36cc127e98938b459c5697977c803aa9d2acd085db56a98217fbaf62e73042ed0c1444994b08702ec0e236c0b0da9c14"
	"a58e3914edee1aa261bc3aae24335f88b689c0a601f23cc855d03453287615afc881689701fd6f23aa4518eef449d1fb"
	"627ea8ade2997d098304fd7b340a689bc820927c3f8313d9cd4ce68e525f99ba9a98b29433645ee028e5687a332a1d04"
	"5d10ae89b72893ca9c9a5ff5e8263d1c9062e2a6213d90688240a067ea1c043c4fc1771d8dfd163e4abb02d75a5c5ad2"
	"a3d5cca8d3152cae07f65abf17a8714c1d0270a6d122e2fbeb27c5e2ec221d0163b7273a00bc94dca32e1d3f880d5d73"
	"d26b63aa523fc0b58084851fcfcf476c38b3b00c97d229adfed6551421a7e1e4f7dfbaddda05e2f1e12d0ecc66485093"
	"a50263b3d8f1cc721224927a703500b70023147235e8928f8410a652bdbd4d35627c9a9478e339e0c8355ec0a3c69f43"
	"13f10ab3e761024aa2f3d497a247a8fb7caf0d95212507e6bb9a8e3b4ccf670582739c1e09a42d8be809c66e63ad9ab7"
	"df42694f01ef2108669c7eb2c12827c401bf0ffe78b329c0a0bb14c45ce2f10604e2df20e71ae42cc2a817975ea93e3a"
	"848f98d3c9f4486ca4c53e09bf78b7c0b5594b7ca3d287546285982fe65447dd6169077b5e394242193a17a757df5b49"
	"5f70120f09ab0ade4e679cf08ab2a842c49fef4cdda265acd50d4c3381fe0e939b0d0df1373fb649bdbd1d8a4d2f5f98"
	"c835998a53bba19a61cd09c431dd64dc99539e1f3aad70e4000263e50d1ded8a5985eab83dcbbb8a56101fe2220bae32"
	"ad18d8eeaa4830499dc4934af32fc29ba26b9e4c7770802758e9ca20d4621166beae2ad4a22723bb26f32d0af25aac8c"
	"69063fce4b57feff031bf713eb1db244a5cebaf26aea4236841c810efeb5893e7c65423aef03f006d31acaaa2fb1fa98"
	"bd5f09fe1a4dc18a7ab15815ee7373aa0bed3b3fae6f1cee5cd813496a71bfe33cf58c182cdf74358f6ce6e6046a9626"
	"01dc4dc925e9b0ef55f5ecc53edfb73300f962273250fcb0a7c22e632bf7327c1e372d102a89479f04105f6ed106813f"
	"d9dce4ab93a8b2638c6f3381034025af5fd7038fa65fa00816f086eb6d9c99dc2ca9bf547ded6465bad85a1e6e96c8f0"
	"98b6be2fd93dc279433842e5fb7436b36b4945f6dd4fbbb36fb2796a9987c5808fcf5615c66965c58bda336e6099c514"
	"04051ac0f8f1c4dbbb4bf4a6b233f01d373e641da8e1617dcc97cd770e090a45685146fae098beb04334ba4af206e256"
	"1bd96aa63145654fa981221350e9f64537cb7578d78738c45b90363c4abc9183daa3f83e470e25a504437e977f4c2f4c"
	"a1ca9c3452eab35870bf521411dbcf7b0536677713a67f8939f84e99132eb7f28a64ffb15a2cf35a6d4e0075820d3a87"
	"9b4247b59be9e426f7021140dcb8943448463b3f7b6b06b9e0fe5f336b55ddc48f1b6e59fc87d7a236db6c74383a0f68"
	"fe702be759d485fe92d575f84955ab5bd587b3858e0b3eb476ce26c4bdf88b3a6af899367698fcac5dd3ad87c82dd31e"
	"2df81b74b9775f2e49805b31a37e1002d1345d3856e269843016c303473e1b9805e6e757d03028ab2fc96d7982ec7076"
	"9b96b9244e750fd7fde766626308e8c5d2647b2d7bf72edb99abecb4d926a785e0c4c45f46829467881bc20797a48dd3"
	"eefd1ae0c85f87cae47eaa6cb32a8f87a1b6620a525dd11a942cabd62161eee0ce0d4ba90e3c632907c6218f5d8046ee"
	"8f9a323ecd6864d8889cf7c8c5f6e3c9f0a9f10b"
  },
/* inner IPv4 total length one past the datagram: the inner packet is cut
 * short, so a bad outer is unclassified (caught an off-by-one in the
 * reference's inner length rule at frame 7889-28081 of 100000, seeds
 * 1-3): random frame 7889 of seed 1 */
{ "inner IPv4 total length one past the datagram: bad, unclassified (not payload)", "drop port=53:vxlan port=6080:gue blockall=fd00:1::15 blockall=fd00:1::16 node=fd00:1::10/63 node=10.1.1.11/64 node=10.0.0.1/64 node=fd00::1/0 node=fd00:1::17/64", 0, 0,
	"0200000000020200000000010800450002361234000040114f740a01030d0a0000029c4017c102226210040065580000"
	"2a00a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a50200000001020200000001010800450001f5432100004001b293c0a80101"
	"c0a801020800020dcf3dda7fb3b9937f77bd526d1e3074d7bcf2ef8c4f9bcb65b3b3e5567eff3fa1070778088728586e"
	"de5e2b9eb8b90ec882539b79bbe0e060576033e635052c682d514baaa0fef18286f3757c2b80106ba80bd19d94531d10"
	"08f56de9d10021fbd4f3456aba061f4c30255fa4d080b6a3fad592d0965229e3072a2765d3a94900a81620d1929224f1"
	"8b810e710c18f6cb576c4a41a4ec7e2d67ed0c10006dc5631f48bb06ba2510badefe498c2a7d9bb8080359b4d746dda5"
	"2c58cd290eaccc4fadaabf4d299026ca201c8941f908f16eebe44382049e1b1f838a3ebe75a87ac8b728c912fa95bd54"
	"e68a3ccd21bebb1f50b375fc590b0094dcec01b121d93e8d4cd43b655ee3c510dede5acd1dc2c5b738c18d68e93096ad"
	"7519482a27af0442d8bb5b7d4475156512d282a2484f0e585dbc8de5ed1547124f5ede89d117f300658e4234b04ba9b2"
	"3a38972388efaacbb431747c006569bcc2eda8aa67b1d0b9c9d012b35fec1eaf4dfd65215a55c1ea9b59b47b55975f98"
	"c52e6702613ac8d45539c2391b697a4602082b7656a014c646d46883ac6289e5abc353617771dcde047805d21d739b66"
	"5900e39e61c72e14cf9a9f808e570c3d29d2deb4d4375fd9f9ecff77bbd99b708749861a67473a249128e99b13d34184"
	"8485ba83"
  },
/* IPv6 with 8 extension headers: the most the datapath skips, so a verdict
 * (caught the BPF parser skipping one fewer at frame 28-152 of 100000,
 * seeds 1-3): random frame 31 of seed 2 */
{ "IPv6 with 8 extension headers: the most the datapath skips, a verdict", "drop port=6080:gue block=fd00:1::15", 0, 0,
	"0200000000020200000000018100006486dd6000000001920040fd000001000000000000000000000015fd0000000000"
	"000000000000000000023c000104000000002b000104000000003c000400000000003c00010400000000000001040000"
	"00002b000104000000002b0004000000000011000400000000009c4012b50152ffff0800000000002a00025945299c55"
	"ea0e773d72d63fc53710670f791da6b802387126772c0a1bf1d4e994b5089a15ef1019a647f3e611ac69c0a0217922f0"
	"48dd0ea1e831aa6ddd7f4fa801805ec319a53ffe0512c6ff8d1f3fa058c598ba733517e65fa88d75026b25e4123334e9"
	"d127bd9637270ed65311dba93ecea7fd5468599edf9880b05a9f23c0520323d07c8392a588be1c2081ceb67c13dc815f"
	"3a4a93c9059391fb0df8d898c6e8319df62d2a50b4c888b7b6abaa67cc876d0dd48cce05a556d1b903a52fff566de73f"
	"01003dedca83754371dec126301ea4c9e1c8a1c52d31fa5bc5f809885506c41777283b12dc7c779e963ed0c5ab4be055"
	"9104e8a436223b370bc954566cc5eab9d7c14178e7516af11cfe8b47e3eade9b7eecf6b0b6f387d380c712378d52baa2"
	"e9da29ee20cfe6fe4780f2e6ba6532d4d4a86bb9219d6a28b30c0d52"
  },
