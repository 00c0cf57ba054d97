/* secret list | set | rm | rekey: the encrypted store. */
#include <config.h>

#include "cmd.h"

int cmd_secret(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}
