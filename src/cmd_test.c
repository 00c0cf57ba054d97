/* test: the connectivity check of a saved connector. */
#include <config.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conncheck.h"
#include "connector.h"
#include "cmd_connector.h"
#include "exitcode.h"
#include "fields.h"
#include "ident.h"
#include "msg.h"
#include "store_cli.h"

enum { OPT_JSON = 256, OPT_OUTPUT };

struct test_args {
	struct conncheck_opts check;
	struct cli_output out; /* --json, or --output as new takes it */
};

static int test_opt(struct cli_ctx *ctx, int opt, const char *arg, void *user)
{
	struct test_args *a = user;
	char msg[CONNCHECK_MSG_MAX];

	if (opt == OPT_JSON || opt == OPT_OUTPUT)
		return cli_output_opt(ctx, "test", opt == OPT_OUTPUT ? arg : NULL, &a->out);
	if (conncheck_parse_opt(&a->check, opt, arg, msg, sizeof(msg)) < 0)
		return msg_usage_for(ctx->err, "test", "test: %s", msg);
	return CLI_CONTINUE;
}

void cmd_test_usage(FILE *out)
{
	fputs("Usage: " AZ_PROGRAM " test ID [--json | --output text|json] [options]\n"
	      "Run the connectivity check of a saved connector (exit status 4 when a probe\n"
	      "fails).\n"
	      "\n"
	      "Options:\n"
	      "  --json                  the results as JSON\n"
	      "  --output text|json      the results as text (the default) or JSON, as new\n"
	      "                          takes it\n"
	      CONNCHECK_USAGE, out);
}

/*
 * The values the probes are made of, checked as new and edit check them: a file edited by hand
 * (an SSH URL with connection http, a browser's URL) would be misread by the check. Said as
 * export says it, with the edit that fixes it; AZ_EXIT_OK when they are right.
 */
static int test_values(struct cli_ctx *ctx, const struct connector *c, const char *id)
{
	static const enum field_id used[] = { FIELD_URL, FIELD_TEST_REPO };
	char msg[FIELD_MSG_MAX], prog[CLI_PROGRAM_MAX], word[CLI_WORD_MAX];
	bool bad = false;

	for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
		if (!fields_applies(c, used[i]) ||
		    fields_validate(c, used[i], connector_value(c, used[i]), NULL, msg, sizeof(msg)))
			continue;
		if (!bad)
			msg_error(ctx->err, "test: connector '%s' is not valid; fix it with '%s edit %s':", id,
			          cli_program(ctx, true, prog, sizeof(prog)), /* edit reads the store */
			          cli_word(id, word, sizeof(word)));
		bad = true;
		fprintf(ctx->err, "%s: %s\n", fields_at(used[i])->key, msg);
	}
	return bad ? AZ_EXIT_INVALID : AZ_EXIT_OK;
}

/*
 * A token refused: the probe said where to make a new one; how this connector takes it is said
 * here (the store id it names, or edit), once per store id.
 */
static void test_token_hint(struct cli_ctx *ctx, const struct connector *c, const char *id,
                            const struct check_result *res, size_t n)
{
	const char *said = NULL;
	char prog[CLI_PROGRAM_MAX], word[CLI_WORD_MAX];

	cli_program(ctx, true, prog, sizeof(prog));
	id = cli_word(id, word, sizeof(word)); /* as the commands below take it */
	for (size_t i = 0; i < n; i++) {
		if (res[i].status != CHECK_FAILED || res[i].category != CHECK_CAT_AUTH)
			continue;
		/* The api probe's token: its own, else the one of git (the default over HTTP). */
		const char *sid = strcmp(res[i].probe, "api") == 0 && fields_applies(c, FIELD_API_TOKEN)
		                  ? connector_value(c, FIELD_API_TOKEN) : NULL;
		if (!sid && strcmp(res[i].probe, "git-ssh") != 0)
			sid = connector_value(c, FIELD_TOKEN);
		if (!sid || (said && strcmp(said, sid) == 0))
			continue;
		said = sid;
		/* A store id that looks like a token is never printed (edit drops it). */
		if (ident_looks_like_token(sid))
			msg_error(ctx->err, "test: give a new token with '%s edit %s'", prog, id);
		else
			msg_error(ctx->err, "test: with a new token, store it in place of the old one: '%s secret set %s' "
			          "(from stdin, or typed), or give it with '%s edit %s'", prog, sid, prog, id);
	}
}

int cmd_test(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		CONNCHECK_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct test_args a = { .check = { .known_hosts = ctx->paths.known_hosts } };
	struct connector *c = NULL;
	struct store *store = NULL;
	struct conncheck_secrets secrets = { 0 };
	struct check_result res[CHECK_MAX_PROBES];
	size_t n = 0;
	char msg[512];
	int rc = cli_getopt(ctx, argc, argv, NULL, opts, test_opt, &a);

	if (rc != CLI_CONTINUE)
		return rc;
	if ((rc = cli_want_operands(ctx, argc, argv, 1)) != CLI_CONTINUE)
		return rc;
	/* With --json there is always one answer, what went wrong before the probes too. */
	struct msg_capture said = { 0 };
	if (a.out.json)
		msg_capture_start(&said, &ctx->err);
	if ((rc = cmd_connector_load(ctx, "test", argv[optind], &c)) != AZ_EXIT_OK ||
	    (rc = test_values(ctx, c, argv[optind])) != AZ_EXIT_OK)
		goto out;
	/* A fingerprint given for a connector without SSH would be silently of no use: a slip. */
	if (a.check.accept_host_key && !fields_applies(c, FIELD_SSH_KEY)) {
		rc = msg_usage_for(ctx->err, "test", "test: --accept-host-key is for SSH connectors; '%s' "
		                   "connects over HTTP: leave it out", argv[optind]);
		goto out;
	}
	/* ... and a CA for one that makes no HTTPS request (SSH without API access): the reverse slip. */
	if (a.check.ca_file && !conncheck_uses_https(c)) {
		rc = msg_usage_for(ctx->err, "test", "test: --ca-file is for HTTPS; '%s' connects over SSH only "
		                   "(no API access): leave it out", argv[optind]);
		goto out;
	}
	/* Every connector has a secret (a token or a key): without a store, the one to store is named. */
	rc = store_cli_open(ctx, STORE_CLI_OPTIONAL, &store);
	if (rc != AZ_EXIT_OK)
		goto out;
	char prog[CLI_PROGRAM_MAX];
	rc = conncheck_load_secrets(c, store, cli_program(ctx, true, prog, sizeof(prog)), &secrets, msg, sizeof(msg));
	store_close(store); /* the values are copied out: no need to keep it open */
	if (rc != 0) {
		msg_error(ctx->err, "%s", msg);
		goto out;
	}
	int crc = conncheck_run(c, &secrets, &a.check, NULL, NULL, res, &n, msg, sizeof(msg));
	/* The probes that ran are said, also when what came after them failed (a host key not recorded). */
	if (!a.out.json)
		check_print_text(ctx->out, res, n);
	if (crc != 0) {
		msg_error(ctx->err, "%s", msg);
		rc = AZ_EXIT_ERROR;
		goto out;
	}
	rc = check_all_ok(res, n) ? AZ_EXIT_OK : AZ_EXIT_CHECK;
	test_token_hint(ctx, c, argv[optind], res, n);
	/* Harness's connector has no place for it: each test is given the CA again. */
	for (size_t i = 0; i < n && !a.check.ca_file; i++)
		if (res[i].untrusted_ca) {
			msg_error(ctx->err, "test: the connector does not keep a CA file: give --ca-file F to each test, "
			          "or add the CA to this machine's trusted ones (update-ca-certificates)");
			break;
		}
out:
	msg_capture_end(&said, &ctx->err);
	if (a.out.json)
		check_print_json(ctx->out, res, n, said.text);
	free(said.text);
	conncheck_secrets_clear(&secrets);
	connector_free(c);
	return rc;
}
