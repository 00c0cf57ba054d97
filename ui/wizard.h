/*
 * The wizard (DESIGN.md §2, §6): the pages of the field table, a review and
 * the connection test, drawn with ncurses on /dev/tty.
 */
#ifndef AZ_WIZARD_H
#define AZ_WIZARD_H

#include "cli.h"
#include "newconn.h"

/* `new` on a terminal: returns an exit code. main() sets it as cli_ctx.wizard. */
int wizard_run(struct cli_ctx *ctx, struct newconn_start *start);

#endif
