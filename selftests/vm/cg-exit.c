// SPDX-License-Identifier: GPL-2.0
/*
 * cg-exit - report a status to qemu through the isa-debug-exit device.
 *
 * Runs inside the test guest (selftests/vm/run-kernel.sh builds it static).
 * qemu must have been started with
 *   -device isa-debug-exit,iobase=0xf4,iosize=0x04
 * Writing N to port 0xf4 makes qemu exit at once with status (N << 1) | 1.
 * Only 0..127 survive the shift into an 8-bit process status, so N is capped.
 *
 * usage: cg-exit STATUS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	long status;
	char *end;

	if (argc != 2) {
		fprintf(stderr, "usage: cg-exit STATUS\n");
		return 2;
	}
	status = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || status < 0)
		status = 127;
	if (status > 127)
		status = 127;

	if (ioperm(DEBUG_EXIT_PORT, 4, 1) != 0) {
		perror("cg-exit: ioperm(0xf4)");
		return 1;
	}
	outb((unsigned char)status, DEBUG_EXIT_PORT);

	/* Only reached when qemu has no isa-debug-exit device. */
	fprintf(stderr, "cg-exit: port 0xf4 write had no effect (no isa-debug-exit device?)\n");
	return 1;
}
