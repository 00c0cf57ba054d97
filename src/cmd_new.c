/* new and edit: the wizard on a terminal, or a non-interactive run. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>

#include "cmd.h"
#include "exitcode.h"
#include "msg.h"

enum { OPT_NON_INTERACTIVE = 256 };

static int new_opt(struct cli_ctx *ctx, int opt, const char *arg, void *user)
{
	(void)ctx;
	(void)arg;
	if (opt == OPT_NON_INTERACTIVE)
		*(bool *)user = true;
	return CLI_CONTINUE;
}

int cmd_new(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "non-interactive", no_argument, NULL, OPT_NON_INTERACTIVE },
		{ NULL, 0, NULL, 0 },
	};
	bool non_interactive = false;
	int rc = cli_getopt(ctx, argc, argv, NULL, opts, new_opt, &non_interactive);

	if (rc != CLI_CONTINUE)
		return rc;
	if ((rc = cli_want_operands(ctx, argc, argv, 0)) != CLI_CONTINUE)
		return rc;
	/* Never wait for input that cannot come: fail at once without a terminal. */
	if (!non_interactive && !(ctx->stdin_tty && ctx->stdout_tty)) {
		msg_error(ctx->err, "no terminal: the wizard needs one on stdin and stdout; "
		                    "for scripts use '" AZ_PROGRAM " new --non-interactive' with flags or --answers FILE");
		return AZ_EXIT_USAGE;
	}
	msg_error(ctx->err, "%s: not available in this version yet",
	          non_interactive ? "new --non-interactive" : "the wizard");
	return AZ_EXIT_ERROR;
}

int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc = cli_getopt(ctx, argc, argv, NULL, NULL, NULL, NULL);

	if (rc != CLI_CONTINUE)
		return rc;
	if ((rc = cli_want_operands(ctx, argc, argv, 1)) != CLI_CONTINUE)
		return rc;
	if (!(ctx->stdin_tty && ctx->stdout_tty)) {
		msg_error(ctx->err, "no terminal: 'edit' runs the wizard, which needs one on stdin and stdout");
		return AZ_EXIT_USAGE;
	}
	msg_error(ctx->err, "edit: not available in this version yet");
	return AZ_EXIT_ERROR;
}
