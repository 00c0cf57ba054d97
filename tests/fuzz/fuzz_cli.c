/*
 * The command line of new, edit and help (cli_main: getopt, the guesses for
 * an unknown option, help FIELD) on any arguments: the input is NUL-separated
 * arguments after a command its first byte picks. No terminal and a home that
 * does not exist, and never --non-interactive or "--": nothing runs past the
 * options, so nothing is read, written or sent. Properties: the exit status
 * is 0 (help) or 2 (usage, or no terminal); the value given to a secret's
 * flag by mistake ("--token=VALUE", "--pat=VALUE") is never repeated in what
 * is said.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "fields.h"
#include "fuzz.h"

const char fuzz_target_name[] = "cli";

#define FUZZ_CLI_ARGS 32

static const char *const fuzz_cli_commands[] = { "new", "edit", "help" };

/* The program's words: everything the help of the three commands and of each field says. */
static char *fuzz_cli_help;

static void fuzz_cli_said(char **argv, int argc, char **text)
{
	struct cli_ctx ctx = { .home = "/nonexistent/azrepos-connect-fuzz" };
	size_t len;

	ctx.out = ctx.err = open_memstream(text, &len);
	if (!ctx.out)
		abort();
	cli_main(&ctx, argc, argv);
	fclose(ctx.out);
}

static void fuzz_cli_help_init(void)
{
	char *all = NULL, *part;
	size_t len = 0;
	FILE *m = open_memstream(&all, &len);

	if (!m)
		abort();
	for (int id = -3; id < FIELD_COUNT; id++) {
		char *argv[] = { (char *)"azrepos-connect", (char *)"help", NULL, NULL };
		argv[2] = (char *)(id < 0 ? fuzz_cli_commands[id + 3] : fields_at(id)->key);
		fuzz_cli_said(argv, 3, &part);
		fputs(part, m);
		free(part);
	}
	fclose(m);
	fuzz_cli_help = all;
}

/* A value after '=' that would be a secret: of a flag whose name says token, passphrase or key. */
static const char *fuzz_cli_secret_value(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;
	char name[64];

	if (!eq || strncmp(arg, "--", 2) != 0 || n >= sizeof(name) || strlen(eq + 1) < 12)
		return NULL;
	memcpy(name, arg, n);
	name[n] = '\0';
	/* A file's path and a store id are not secrets: messages may name them. */
	if (strstr(name, "-file") || strstr(name, "-secret"))
		return NULL;
	return strstr(name, "token") || strstr(name, "pat") || strstr(name, "passphrase") ||
	       strstr(name, "key") || strstr(name, "password") ? eq + 1 : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_CLI_ARGS + 3], *text, *said = NULL;
	int argc = 0;

	if (size == 0)
		return 0;
	if (!fuzz_cli_help)
		fuzz_cli_help_init();
	text = fuzz_strndup(data + 1, size - 1);
	argv[argc++] = (char *)"azrepos-connect";
	argv[argc++] = (char *)fuzz_cli_commands[data[0] % 3];
	for (char *at = text; at < text + size - 1 && argc < FUZZ_CLI_ARGS + 2; at += strlen(at) + 1)
		if (strcmp(at, "--") != 0 && strcmp(at, "--non-interactive") != 0)
			argv[argc++] = at;
	argv[argc] = NULL;

	struct cli_ctx ctx = { .home = "/nonexistent/azrepos-connect-fuzz" };
	size_t len;
	ctx.out = ctx.err = open_memstream(&said, &len);
	if (!ctx.out)
		abort();
	int rc = cli_main(&ctx, argc, argv);
	fclose(ctx.out);
	if (rc != AZ_EXIT_OK && rc != AZ_EXIT_USAGE)
		abort(); /* options alone end in their help or a usage error */
	for (int i = 2; i < argc; i++) {
		const char *value = fuzz_cli_secret_value(argv[i]);
		bool elsewhere = false;
		if (!value || strstr(fuzz_cli_help, value))
			continue;
		/* Said anyway as another argument, or as the name before its '=' ("--pat=--pa"). */
		for (int j = 2; j < argc && !elsewhere; j++)
			elsewhere = j != i ? strstr(argv[j], value) != NULL
			                   : memmem(argv[i], (size_t)(value - 1 - argv[i]), value, strlen(value)) != NULL;
		if (!elsewhere && strstr(said, value))
			abort(); /* a secret given as a flag's value, said back */
	}
	free(said);
	free(text);
	return 0;
}
