/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - libbpf's and libxdp's messages, kept in memory so that an error
 * stays one line: shown only when the front end asks (--verbose), or saved
 * to a file an error message can name (a verifier log).
 */
#ifndef CG_LOG_H
#define CG_LOG_H

#include <stddef.h>
#include <stdio.h>

/* Captures both libraries' messages from now on; echo (may be NULL) also
 * gets every message, debug ones included, as it comes. */
void cg_log_init(FILE *echo);
const char *cg_log_text(void);
/* Does every message also go to an echo stream (so a front end's error
 * can say "the log is above")? */
int cg_log_echoes(void);
void cg_log_clear(void);
/* Writes the messages to a fresh file named for what; its path in buf. 0 or -1. */
int cg_log_save(const char *what, char *buf, size_t len);

#endif /* CG_LOG_H */
