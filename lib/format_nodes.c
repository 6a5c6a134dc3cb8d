// SPDX-License-Identifier: GPL-2.0
/* format_nodes.c - `nodes list` as a table and as JSON (nodes.h). */
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "format.h"
#include "json_writer.h"
#include "nodes.h"

const char *cg_node_ttl_source(const struct cg_node *node)
{
	if (node->flags & CG_NODE_TTL_SET)
		return "set";
	return node->ttl ? "learned" : NULL;
}

static void ttl_cell(const struct cg_node *node, char *buf, size_t len)
{
	const char *src = cg_node_ttl_source(node);

	if (src)
		snprintf(buf, len, "%u (%s)", node->ttl, src);
	else
		snprintf(buf, len, "- (not learned yet)");
}

void cg_render_nodes_table(FILE *f, const struct cg_node_entry *rows, size_t n)
{
	int wn = (int)strlen("NODE"), wi = (int)strlen("ID"), wa = (int)strlen("ADDRESS"), l;
	char addr[CG_ADDR_STRLEN], id[16], ttl[32];
	size_t i, names = 0;

	if (!n) {
		fprintf(f, "no known nodes (add them: csumguard nodes add ADDR NAME, or "
			"csumguard nodes load FILE)\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if ((l = (int)strlen(rows[i].node.name)) > wn)
			wn = l;
		if ((l = snprintf(id, sizeof(id), "%u", rows[i].node.id)) > wi)
			wi = l;
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		if ((l = (int)strlen(addr)) > wa)
			wa = l;
		names += !i || strcmp(rows[i].node.name, rows[i - 1].node.name);
	}
	fprintf(f, "%-*s  %*s  %-*s  TTL\n", wn, "NODE", wi, "ID", wa, "ADDRESS");
	for (i = 0; i < n; i++) {
		int first = !i || strcmp(rows[i].node.name, rows[i - 1].node.name);

		snprintf(id, sizeof(id), "%u", rows[i].node.id);
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		ttl_cell(&rows[i].node, ttl, sizeof(ttl));
		/* a node's further addresses under its first */
		fprintf(f, "%-*s  %*s  %-*s  %s\n", wn, first ? rows[i].node.name : "", wi,
			first ? id : "", wa, addr, ttl);
	}
	fprintf(f, "%zu node%s, %zu address%s\n", names, names == 1 ? "" : "s", n,
		n == 1 ? "" : "es");
}

int cg_render_nodes_json(FILE *f, const struct cg_node_entry *rows, size_t n, int64_t now_unix)
{
	char addr[CG_ADDR_STRLEN];
	struct cg_json w;
	const char *src;
	size_t i;

	cg_json_init(&w, f);
	cg_json_start_object(&w);
	cg_json_uint_field(&w, "version", CG_JSON_VERSION);
	cg_json_int_field(&w, "time_unix", now_unix);
	cg_json_name(&w, "nodes");
	cg_json_start_array(&w);
	for (i = 0; i < n; i++) {
		if (!i || strcmp(rows[i].node.name, rows[i - 1].node.name)) {
			if (i) {
				cg_json_end_array(&w);
				cg_json_end_object(&w);
			}
			cg_json_start_object(&w);
			cg_json_strn_field(&w, "name", rows[i].node.name, CG_NODE_NAME_LEN);
			cg_json_uint_field(&w, "id", rows[i].node.id);
			cg_json_name(&w, "addrs");
			cg_json_start_array(&w);
		}
		cg_addr_str(&rows[i].addr, addr, sizeof(addr));
		src = cg_node_ttl_source(&rows[i].node);
		cg_json_start_object(&w);
		cg_json_string_field(&w, "addr", addr);
		if (src)
			cg_json_uint_field(&w, "ttl", rows[i].node.ttl);
		else
			cg_json_null_field(&w, "ttl");
		cg_json_string_field(&w, "ttl_source", src);
		cg_json_end_object(&w);
	}
	if (n) {
		cg_json_end_array(&w);
		cg_json_end_object(&w);
	}
	cg_json_end_array(&w);
	cg_json_end_object(&w);
	return cg_json_finish(&w);
}
