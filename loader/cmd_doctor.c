// SPDX-License-Identifier: GPL-2.0
/* cmd_doctor.c - `csumguard doctor IFACE`: lib/doctor.c gathers, this prints
 * its text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cmds.h"
#include "doctor.h"
#include "err.h"
#include "locate.h"

static int json_doc(FILE *f, void *arg)
{
	return cg_doctor_render_json(f, arg);
}

int cmd_doctor(const struct cg_cli *cli)
{
	struct cg_doctor *d = calloc(1, sizeof(*d));
	char err[CG_ERRLEN];
	int e = 0;

	if (!d)
		return cg_fail("out of memory");
	if ((e = cg_doctor_gather(cli->pin_dir, cli->doctor.iface, d, err, sizeof(err)))) {
		struct cg_where w;

		free(d);
		/* Not here, but attached in another namespace: say where. */
		if (e == -ENODEV && !cg_locate(cli->pin_dir, cli->doctor.iface, &w) &&
		    w.state == CG_WHERE_ELSEWHERE && cg_where_netns_named(&w))
			return cg_fail("no interface '%s' in this network namespace: csumguard "
				       "attached it in %s; run doctor there: nsenter --net=%s "
				       "csumguard doctor %s", cli->doctor.iface, w.where, w.netns,
				       cli->doctor.iface);
		return cg_fail("%s", err);
	}
	if (cli->json)
		e = cg_print_json(cli, json_doc, d);
	else
		cg_doctor_render_text(stdout, d);
	free(d);
	if (fflush(stdout) || ferror(stdout) || e)
		return cg_fail("cannot write to stdout: %s; check where the output goes (a "
			       "closed pipe, a full disk)", e ? "the writer failed" :
			       strerror(errno));
	return CG_EXIT_OK;
}
