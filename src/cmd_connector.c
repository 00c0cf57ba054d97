/* list, show, delete, export: saved connectors. */
#include <config.h>

#include "cmd.h"

int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}

int cmd_delete(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	return cmd_unavailable(ctx, argc, argv);
}
