#include <config.h>

#include "cmd.h"
#include "exitcode.h"
#include "msg.h"

int cmd_unavailable(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc = cli_getopt(ctx, argc, argv, NULL, NULL, NULL, NULL);

	if (rc != CLI_CONTINUE)
		return rc;
	msg_error(ctx->err, "%s: not available in this version yet", argv[0]);
	return AZ_EXIT_ERROR;
}
