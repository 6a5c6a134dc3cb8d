/* SPDX-License-Identifier: GPL-2.0 */
/*
 * movelog.h - a source's rows moved between the LRU table (CG_PIN_SRC) and a
 * kept table (CG_PIN_SRC_KEPT, CG_PIN_SRC_NODES) so that a kill at any step
 * counts its history once.
 *
 * cg_src_move_rows adds the row to the target table, then empties it in the
 * source table: two bpf calls per interface. Killed in between, both tables
 * held the history and every reader (which sums the tables) counted it
 * twice. cg_move_rows_logged first pins a journal (CG_PIN_MOVE_LOG: per
 * interface and row part - the per-CPU part and the shared part, which
 * cg_src_move_rows moves one after the other - both rows as they were,
 * byte for byte), then moves, then
 * removes the journal. The next command that opens the pins
 * (cg_pin_dir_ready) or takes the lock finds a journal a killed command
 * left and finishes it, interface by interface and part by part:
 *   the source row gone or zero           -> moved;
 *   the target row as journaled           -> not added yet: moved again;
 *   else, the source row as journaled     -> added, not emptied: emptied.
 * The journal is created whole and then pinned (one bpf call), so it is
 * there entirely or not at all. What it cannot tell: a target row that the
 * datapath grew between the kill and the recovery looks added. So a kill
 * just before the add, followed by frames of that very source before the
 * next command, empties the source row without adding it: that history is
 * lost (never counted twice). Telling these apart needs a mark the datapath
 * never writes in the target row. User space only: the datapath never
 * reads the journal.
 */
#ifndef CG_MOVELOG_H
#define CG_MOVELOG_H

#include "csumguard.h"

/* cg_src_move_rows (lib/maps.h) under a journal. 0, or -errno (the move is
 * then done unjournaled: a failing journal must not stop a block). */
int cg_move_rows_logged(const char *pin_dir, const char *table_pin, const struct cg_addr *a,
			int keep);

/*
 * Finishes the move a killed command left under pin_dir, if any. locked: the
 * caller holds cg_pin_lock; else the lock is tried without waiting (held: a
 * live command is moving and finishes itself). 1 if one was finished, 0 if
 * there was none, or -errno.
 */
int cg_move_recover(const char *pin_dir, int locked);

#endif
