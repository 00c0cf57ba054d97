/* Command-line parsing in process: exit codes, messages, which stream. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "exitcode.h"

struct run {
	int rc;
	char *out;
	char *err;
};

/* Run cli_main on a NULL-terminated argument list, capturing both streams. */
static struct run run_cli(int tty, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	size_t olen, elen;
	struct run r;
	struct cli_ctx ctx = { .stdin_tty = tty, .stdout_tty = tty };

	argv[argc++] = (char *)"azrepos-connect";
	va_start(ap, tty);
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	ctx.out = open_memstream(&r.out, &olen);
	ctx.err = open_memstream(&r.err, &elen);
	assert_non_null(ctx.out);
	assert_non_null(ctx.err);
	setenv("AZREPOS_CONNECT_HOME", "/nonexistent/azrc-test-home", 1);
	r.rc = cli_main(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_help(void **state)
{
	(void)state;
	struct run r = run_cli(false, "--help", NULL);
	assert_int_equal(r.rc, AZ_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage: azrepos-connect"));
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		char want[64];
		snprintf(want, sizeof(want), "\n  %s ", c->name);
		assert_non_null(strstr(r.out, want));
	}
	assert_non_null(strstr(r.out, "Exit status"));
	assert_string_equal(r.err, "");
	run_free(&r);

	r = run_cli(false, "-h", NULL);
	assert_int_equal(r.rc, AZ_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage:"));
	run_free(&r);

	r = run_cli(false, "help", NULL);
	assert_int_equal(r.rc, AZ_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage:"));
	run_free(&r);
}

static void test_version(void **state)
{
	(void)state;
	static const char first[] = "azrepos-connect " PACKAGE_VERSION "\nlibcurl ";
	struct run r = run_cli(false, "--version", NULL);
	assert_int_equal(r.rc, AZ_EXIT_OK);
	/* Then the libraries' versions, on one line. */
	assert_memory_equal(r.out, first, sizeof(first) - 1);
	assert_non_null(strstr(r.out, ", libssh 0."));
	assert_non_null(strstr(r.out, ", libsodium 1."));
	assert_ptr_equal(strchr(r.out + sizeof(first) - 1, '\n'), r.out + strlen(r.out) - 1);
	char *again = strdup(r.out);
	run_free(&r);

	r = run_cli(false, "-V", "list", NULL);
	assert_int_equal(r.rc, AZ_EXIT_OK);
	assert_string_equal(r.out, again);
	free(again);
	run_free(&r);
}

static void test_unknown_command(void **state)
{
	(void)state;
	struct run r = run_cli(false, "frobnicate", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "azrepos-connect: unknown command 'frobnicate'\n"
	                           "Try 'azrepos-connect --help' for more information.\n");
	run_free(&r);

	/*
	 * A slip of one or two letters: the command meant is named; never a guess between two (lest),
	 * from three edits away (expabc), or for a word every letter of which was changed (zw: new).
	 */
	static const char *const slips[][2] = {
		{ "tset", "test" }, { "exprot", "export" }, { "secrets", "secret" }, { "shwo", "show" },
		{ "dlete", "delete" }, { "lits", "list" }, { "newer", "new" }, { "lest", NULL }, { "x", NULL },
		{ "zzzz", NULL }, { "expabc", NULL }, { "zw", NULL },
		/* Two letters swapped: one slip ("lsit" is as far from "edit" by letters changed). */
		{ "lsit", "list" }, { "epxort", "export" }, { "sercet", "secret" },
	};
	for (size_t i = 0; i < sizeof(slips) / sizeof(slips[0]); i++) {
		char want[160];
		r = run_cli(false, slips[i][0], NULL);
		assert_int_equal(r.rc, AZ_EXIT_USAGE);
		snprintf(want, sizeof(want), "azrepos-connect: unknown command '%s'%s%s%s\n", slips[i][0],
		         slips[i][1] ? " (did you mean '" : "", slips[i][1] ? slips[i][1] : "", slips[i][1] ? "'?)" : "");
		assert_non_null(strstr(r.err, want));
		assert_int_equal(count_lines(r.err), 2);
		run_free(&r);
	}
}

static void test_unknown_flags(void **state)
{
	(void)state;
	/* Not a global flag: it goes to the default command, which refuses it. */
	struct run r = run_cli(true, "--bogus", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown option '--bogus'"));
	assert_int_equal(count_lines(r.err), 2);
	run_free(&r);

	r = run_cli(false, "list", "--bogus", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "list: unknown option '--bogus'"));
	run_free(&r);

	r = run_cli(false, "show", "-q", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "show: unknown option '-q'"));
	run_free(&r);
}

/* A mistyped option gets the nearest one, and the hint names the command's own help. */
static void test_did_you_mean(void **state)
{
	static const struct { const char *cmd, *arg, *says; } cases[] = {
		/* The name only: what follows '=' may be a secret given by mistake. */
		{ "new", "--nme=x", "new: unknown option '--nme' (did you mean --name?)\n" },
		{ "new", "--url-tpye", "unknown option '--url-tpye' (did you mean --url-type?)\n" },
		{ "list", "--jsn", "list: unknown option '--jsn' (did you mean --json?)\n" },
		{ "secret", "--from-fle", "(did you mean --from-file?)\n" },
		{ "new", "--zzzzzz", "new: unknown option '--zzzzzz'\n" },  /* nothing near */
		{ "list", "--x", "list: unknown option '--x'\n" },          /* too short to guess */
		/* A global option mistyped after the command: named, and where it goes. */
		{ "list", "--hmoe", "list: unknown option '--hmoe' (did you mean the global option --home? it comes "
		  "before the command: 'azrepos-connect --home ... list ...')\n" },
		{ "new", "--key-fiel=k", "(did you mean the global option --key-file? it comes before the command: "
		  "'azrepos-connect --key-file ... new ...')\n" },
		/* The start of a name, last and without its value: the name meant, not "needs a value". */
		{ "new", "--out", "new: unknown option '--out' (did you mean --output?)\n" },
		{ "test", "--time", "test: unknown option '--time' (did you mean --timeout?)\n" },
		{ "new", "--token-f", "new: unknown option '--token-f' (did you mean --token-file?)\n" },
	};
	char hint[96];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r = run_cli(false, cases[i].cmd, cases[i].arg, NULL);
		snprintf(hint, sizeof(hint), "Try 'azrepos-connect %s --help' for more information.\n",
		         cases[i].cmd);
		assert_int_equal(r.rc, AZ_EXIT_USAGE);
		if (!strstr(r.err, cases[i].says) || !strstr(r.err, hint))
			fail_msg("%s %s: got '%s'", cases[i].cmd, cases[i].arg, r.err);
		run_free(&r);
	}
	struct run r = run_cli(false, "show", NULL);
	assert_non_null(strstr(r.err, "Try 'azrepos-connect show --help' for more information."));
	run_free(&r);
}

static void test_missing_values(void **state)
{
	(void)state;
	struct run r = run_cli(false, "--home", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "option '--home' needs a value"));
	run_free(&r);

	r = run_cli(false, "--key-file", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'--key-file' needs a value"));
	run_free(&r);

	/* A global option's name cut short, without its value, as after the command. */
	r = run_cli(false, "--hom", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown option '--hom' (did you mean --home?)"));
	run_free(&r);

	/* Whole, it is the value that is missing. */
	r = run_cli(false, "new", "--output", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "new: option '--output' needs a value"));
	run_free(&r);

	r = run_cli(false, "--home", "relative/dir", "list", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "absolute path"));
	run_free(&r);
}

static void test_command_help(void **state)
{
	(void)state;
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		struct run r = run_cli(false, c->name, "--help", NULL);
		char want[128];
		snprintf(want, sizeof(want), "Usage: azrepos-connect %s ", c->name);
		assert_int_equal(r.rc, AZ_EXIT_OK);
		assert_non_null(strstr(r.out, want));
		assert_string_equal(r.err, "");
		run_free(&r);
	}
}

static void test_no_terminal(void **state)
{
	(void)state;
	/* No command, no terminal: refuse at once with the way out. */
	struct run r = run_cli(false, NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "no terminal"));
	assert_non_null(strstr(r.err, "--non-interactive"));
	run_free(&r);

	r = run_cli(false, "new", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "no terminal"));
	run_free(&r);

	r = run_cli(false, "edit", "web", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "no terminal"));
	run_free(&r);

	/* With --non-interactive the terminal check does not apply. */
	r = run_cli(false, "new", "--non-interactive", NULL);
	assert_int_not_equal(r.rc, AZ_EXIT_USAGE);
	assert_null(strstr(r.err, "no terminal"));
	run_free(&r);
}

static void test_operands(void **state)
{
	(void)state;
	struct run r = run_cli(true, "edit", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "edit: missing argument"));
	run_free(&r);

	r = run_cli(true, "new", "extra", NULL);
	assert_int_equal(r.rc, AZ_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unexpected argument 'extra'"));
	run_free(&r);
}

/* The program as a command inside a message: this run's --home and --key-file, quoted for a shell. */
static void test_program(void **state)
{
	struct cli_ctx ctx = { .home = "/srv/it's here", .key_file = "/etc/az.key" };
	char buf[CLI_PROGRAM_MAX], small[20];

	(void)state;
	assert_string_equal(cli_program(&ctx, true, buf, sizeof(buf)),
	                    "azrepos-connect --home '/srv/it'\\''s here' --key-file /etc/az.key");
	assert_string_equal(cli_program(&ctx, false, buf, sizeof(buf)), "azrepos-connect --home '/srv/it'\\''s here'");
	ctx.home = ctx.key_file = NULL;
	assert_string_equal(cli_program(&ctx, true, buf, sizeof(buf)), "azrepos-connect");
	ctx.home = "/a/long/home/folder";
	assert_string_equal(cli_program(&ctx, false, small, sizeof(small)), "azrepos-connect --h"); /* cut, ended */
}

/* An identifier in a command to paste: as it is, or quoted where a shell would change it ('$'). */
static void test_word(void **state)
{
	char buf[CLI_WORD_MAX];

	(void)state;
	assert_string_equal(cli_word("web_app", buf, sizeof(buf)), "web_app");
	assert_string_equal(cli_word("Web$1", buf, sizeof(buf)), "'Web$1'");
	assert_string_equal(cli_word("it's", buf, sizeof(buf)), "'it'\\''s'");
	assert_string_equal(cli_arg("--ca-file", "/a b", buf, sizeof(buf)), " --ca-file '/a b'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_unknown_flags),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_command_help),
		cmocka_unit_test(test_no_terminal),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_word),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
