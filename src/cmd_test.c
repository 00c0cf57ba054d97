/* test: the connectivity check of a saved connector. */
#include <config.h>

#include "cmd.h"

int cmd_test(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}
