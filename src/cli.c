#include <config.h>

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <libssh/libssh.h>
#include <sodium.h>
#include <yaml.h>

#include "cli.h"
#include "cmd.h"
#include "exitcode.h"
#include "msg.h"
#include "nearest.h"
#include "store.h"

const struct cli_command cli_commands[] = {
	{ .name = "new", .args = "[--non-interactive] [--answers F] [--FIELD VALUE ...]",
	  .summary = "create a connector: the wizard, or flags and an answers file",
	  .run = cmd_new, .usage = cmd_new_usage },
	{ .name = "edit", .args = "ID [--non-interactive] [--answers F] [--FIELD VALUE ...]",
	  .summary = "change a saved connector: the wizard, or flags and an answers file",
	  .run = cmd_edit, .usage = cmd_edit_usage },
	{ .name = "list", .args = "[--json | --ids]", .summary = "list saved connectors", .run = cmd_list },
	{ .name = "show", .args = "ID [--json]",
	  .summary = "show one connector (secrets as store ids only)", .run = cmd_show },
	{ .name = "test", .args = "ID [--json] [--timeout S] [--ca-file F] [--accept-host-key FP]",
	  .summary = "run the connectivity check of a saved connector", .run = cmd_test,
	  .usage = cmd_test_usage },
	{ .name = "delete", .args = "ID [--yes]", .summary = "delete a saved connector", .run = cmd_delete },
	{ .name = "export", .args = "ID [--format yaml|json | --json]",
	  .summary = "print the Harness connector definition", .run = cmd_export },
	{ .name = "secret", .args = "list | set ID | get ID | rm ID | rekey",
	  .summary = "manage the encrypted secret store", .run = cmd_secret, .usage = cmd_secret_usage },
	{ .name = NULL },
};

static const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void cli_help(FILE *out)
{
	fputs("Usage: " AZ_PROGRAM " [GLOBAL OPTIONS] [COMMAND [ARGS]]\n"
	      "\n"
	      "Set up a Harness Azure Repos connector: name, URL, credentials, delegates,\n"
	      "a real connectivity check, secrets kept in an encrypted local store.\n"
	      "Without a command it starts the wizard (the same as 'new').\n"
	      "\n"
	      "Commands:\n", out);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-8s %s\n           %s\n", c->name, c->args, c->summary);
	fputs("\n"
	      "Global options:\n"
	      "  --home DIR      keep connectors, secrets, known hosts and the draft in DIR\n"
	      "                  (also $AZREPOS_CONNECT_HOME; default: the XDG folders)\n"
	      "  --key-file F    unlock the secret store with a key file (mode 0400 or 0600)\n"
	      "  -h, --help      show this help\n"
	      "  -V, --version   show the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 error, 2 usage, 3 invalid input, 4 connectivity check\n"
	      "failed, 5 cancelled, 10-18 secret store errors (see azrepos-connect(1)).\n"
	      "The options of a command: '" AZ_PROGRAM " COMMAND --help' (or 'help COMMAND');\n"
	      "a field of new and edit: '" AZ_PROGRAM " help FIELD' (e.g. 'help url').\n", out);
}

/* A word for a shell: quoted if need be. */
static void cli_print_word(FILE *out, const char *value)
{
	if (strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-") == strlen(value)) {
		fputs(value, out);
		return;
	}
	fputc('\'', out);
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", out);
		else
			fputc(*p, out);
	}
	fputc('\'', out);
}

/* " opt value", value quoted for a shell if need be. */
static void cli_print_arg(FILE *out, const char *opt, const char *value)
{
	fprintf(out, " %s ", opt);
	cli_print_word(out, value);
}

char *cli_self_name(void)
{
	char *self = realpath("/proc/self/exe", NULL);
	const char *path = getenv("PATH");

	if (!self)
		return strdup(AZ_PROGRAM);
	/* The first executable of that name on PATH is what the shell runs: is it this program? */
	for (const char *p = path ? path : ""; *p; p += strcspn(p, ":"), p += *p == ':') {
		size_t n = strcspn(p, ":");
		char cand[PATH_MAX];

		/* (An empty entry is the current folder: not one a pasted command can rely on.) */
		if (n == 0 || n + sizeof("/" AZ_PROGRAM) > sizeof(cand))
			continue;
		snprintf(cand, sizeof(cand), "%.*s/" AZ_PROGRAM, (int)n, p);
		if (access(cand, X_OK) != 0)
			continue;
		char *found = realpath(cand, NULL);
		bool same = found && strcmp(found, self) == 0;
		free(found);
		if (same) {
			free(self);
			return strdup(AZ_PROGRAM);
		}
		break;
	}
	return self;
}

void cli_print_program(const struct cli_ctx *ctx, FILE *out, bool key_file)
{
	cli_print_word(out, ctx->self ? ctx->self : AZ_PROGRAM);
	if (ctx->home)
		cli_print_arg(out, "--home", ctx->home);
	if (key_file && ctx->key_file)
		cli_print_arg(out, "--key-file", ctx->key_file);
}

const char *cli_program(const struct cli_ctx *ctx, bool key_file, char *buf, size_t len)
{
	FILE *m = fmemopen(buf, len, "w");

	if (!m) {
		snprintf(buf, len, AZ_PROGRAM);
		return buf;
	}
	cli_print_program(ctx, m, key_file);
	fclose(m);
	buf[len - 1] = '\0'; /* fmemopen ends a full buffer without one */
	return buf;
}

/* " opt value" (opt NULL: "value"), quoted for a shell if need be, in buf. */
static const char *cli_quoted(const char *opt, const char *value, char *buf, size_t len)
{
	FILE *m = fmemopen(buf, len, "w");

	if (!m) {
		snprintf(buf, len, "%s%s%s%s", opt ? " " : "", opt ? opt : "", opt ? " " : "", value);
		return buf;
	}
	if (opt)
		cli_print_arg(m, opt, value);
	else
		cli_print_word(m, value);
	fclose(m);
	buf[len - 1] = '\0'; /* fmemopen ends a full buffer without one */
	return buf;
}

const char *cli_arg(const char *opt, const char *value, char *buf, size_t len)
{
	return cli_quoted(opt, value, buf, len);
}

const char *cli_word(const char *value, char *buf, size_t len)
{
	return cli_quoted(NULL, value, buf, len);
}

void cli_command_usage(const struct cli_ctx *ctx, const char *name, FILE *stream)
{
	const struct cli_command *c = cli_find(name);

	(void)ctx;
	if (!c)
		return;
	if (c->usage) {
		c->usage(stream);
		return;
	}
	/* The summary as a sentence: "List saved connectors." */
	fprintf(stream, "Usage: " AZ_PROGRAM " %s %s\n%c%s.\n", c->name, c->args,
	        toupper((unsigned char)c->summary[0]), c->summary + 1);
}

/* The one long option nearest to a mistyped "--word[=value]", or NULL. */
static const char *cli_nearest_option(const char *arg, const struct option *longopts)
{
	struct nearest n;

	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	nearest_start(&n, arg + 2, strcspn(arg + 2, "="));
	for (const struct option *o = longopts; o->name; o++)
		nearest_offer(&n, o->name);
	return nearest_found(&n);
}

/* The one command nearest to a mistyped one, or NULL. */
static const char *cli_nearest_command(const char *word)
{
	struct nearest n;

	nearest_start(&n, word, strlen(word));
	for (const struct cli_command *c = cli_commands; c->name; c++)
		nearest_offer(&n, c->name);
	return nearest_found(&n);
}

/* "unknown command 'word'" (help's: "or field"), with the command nearest to it: a usage error. */
static int cli_unknown_command(const struct cli_ctx *ctx, const char *prefix, const char *word, bool or_field)
{
	const char *near = cli_nearest_command(word);

	return msg_usage(ctx->err, "%sunknown command%s '%s'%s%s%s", prefix, or_field ? " or field" : "", word,
	                 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

enum { OPT_HOME = 256, OPT_KEY_FILE };

/* The options cli_main takes before the command. */
static const struct option cli_global_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "home", required_argument, NULL, OPT_HOME },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ NULL, 0, NULL, 0 },
};

/* The version, and those of the libraries doing the work as loaded here (not as built): for a bug report. */
static void cli_version(FILE *out)
{
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
	const char *ssh = ssh_version(0); /* "0.10.6/openssl/zlib" */

	fprintf(out, "%s %s\nlibcurl %s (%s), libssh %.*s, libsodium %s, cJSON %s, libyaml %s\n", AZ_PROGRAM,
	        PACKAGE_VERSION, curl->version, curl->ssl_version ? curl->ssl_version : "no TLS",
	        (int)strcspn(ssh, "/"), ssh, sodium_version_string(), cJSON_Version(), yaml_get_version_string());
}

/* The option of opts that arg ("--name=value") names, when that one takes no value; else NULL. */
static const struct option *cli_no_value(const char *arg, const struct option *opts)
{
	size_t len = strcspn(arg, "=");

	for (const struct option *o = opts; arg[len] == '=' && strncmp(arg, "--", 2) == 0 && o->name; o++)
		if (o->has_arg == no_argument && len == strlen(o->name) + 2 && strncmp(arg + 2, o->name, len - 2) == 0)
			return o;
	return NULL;
}

/* Is word "--NAME" or "--NAME=..." for one of opts (or a global option)? */
static bool cli_names_option(const char *word, const struct option *opts)
{
	size_t len = strcspn(word, "=");

	if (strncmp(word, "--", 2) != 0 || len <= 2)
		return false;
	for (int pass = 0; pass < 2; pass++)
		for (const struct option *o = pass ? cli_global_opts : opts; o->name; o++)
			if (strlen(o->name) == len - 2 && strncmp(word + 2, o->name, len - 2) == 0)
				return true;
	return false;
}

/* Has option name the forms of a secret (NAME-file, -stdin, -secret)? Then "NAME-file F, ..." in buf. */
static bool cli_secret_ways(const char *name, const struct option *longopts, char *buf, size_t buflen)
{
	static const char *const forms[] = { "-file", "-stdin", "-secret" };
	int have = 0;

	for (size_t f = 0; f < 3; f++)
		for (const struct option *o = longopts; o->name; o++)
			have += strncmp(o->name, name, strlen(name)) == 0 && strcmp(o->name + strlen(name), forms[f]) == 0;
	if (have != 3)
		return false;
	snprintf(buf, buflen, "%s-file F, --%s-stdin or --%s-secret ID", name, name, name);
	return true;
}

/*
 * Was the long option getopt_long just took (o) typed by its whole name? getopt takes "--nam"
 * for --name, and a script written so would change meaning once another option starts the same
 * way. *typed: the argument as typed.
 */
static bool cli_whole_name(char **argv, const struct option *o, const char **typed)
{
	*typed = optarg && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
	size_t len = strcspn(*typed, "=");

	return strncmp(*typed, "--", 2) != 0 || (len - 2 == strlen(o->name) && strncmp(*typed + 2, o->name, len - 2) == 0);
}

/*
 * The long option getopt_long took for typed, the last argument, whose value
 * is missing (it returned ':' and set optopt to the option's val), when typed
 * is only the start of its name ("--out" for --output): NULL when whole. An
 * abbreviation is refused with the name meant, value or not.
 */
static const struct option *cli_cut_short(const char *typed, const struct option *longopts)
{
	size_t len = strlen(typed);

	if (strncmp(typed, "--", 2) != 0)
		return NULL;
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == optopt && o->has_arg == required_argument && strlen(o->name) > len - 2 &&
		    strncmp(o->name, typed + 2, len - 2) == 0)
			return o;
	return NULL;
}

/* The most long options a command has (new: its own, and four a secret field); more go unchecked for repeats. */
#define CLI_OPTS_MAX 256

/* The values of the options of several commands that take one of a few (a field's: the command's). */
static const struct { const char *name, *values; } cli_option_values[] = {
	{ "format", "yaml|json" },
	{ "output", "text|json" },
};

/* " (true|false)": the values of the option name ("--name" as typed, or without the dashes). */
static const char *cli_values_hint(const struct cli_ctx *ctx, const char *name, char *buf, size_t len)
{
	char values[96];
	const char *v = NULL;

	if (strncmp(name, "--", 2) == 0)
		name += 2;
	for (size_t i = 0; !v && i < sizeof(cli_option_values) / sizeof(cli_option_values[0]); i++)
		if (strcmp(name, cli_option_values[i].name) == 0)
			v = cli_option_values[i].values;
	/* secret set --kind: the store's kinds. */
	if (!v && strcmp(name, "kind") == 0) {
		size_t n = 0;

		for (unsigned k = 0; k < STORE_KIND_COUNT && n < sizeof(values); k++)
			n += (size_t)snprintf(values + n, sizeof(values) - n, "%s%s", k ? "|" : "",
			                      store_kind_name((enum store_kind)k));
		v = values;
	}
	if (!v && ctx->option_values)
		v = ctx->option_values(name, values, sizeof(values));
	if (!v)
		return "";
	snprintf(buf, len, " (%s)", v);
	return buf;
}

int cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
               const struct option *longopts,
               int (*on_opt)(struct cli_ctx *ctx, int opt, const char *arg, void *user),
               void *user)
{
	static const struct option help_only[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char spec[64], hint[128];
	int opt, at = -1;
	unsigned char seen[CLI_OPTS_MAX] = { 0 };

	if (!longopts)
		longopts = help_only;
	/* Leading ':' so a missing value is told apart from an unknown option. */
	snprintf(spec, sizeof(spec), ":h%s", shortopts ? shortopts : "");
	optind = 0; /* full reset of GNU getopt, as it may have run before */
	opterr = 0; /* our own messages, with the program name */
	while ((opt = getopt_long(argc, argv, spec, longopts, &at)) != -1) {
		const char *typed;
		if (at >= 0 && opt != '?' && opt != ':' && !cli_whole_name(argv, &longopts[at], &typed))
			return msg_usage_for(ctx->err, argv[0], "%s: unknown option '%.*s' (did you mean --%s?)",
			                     argv[0], (int)strcspn(typed, "="), typed, longopts[at].name);
		if (opt == 'h') {
			cli_command_usage(ctx, argv[0], ctx->out);
			return AZ_EXIT_OK;
		}
		const struct option *meant = opt == ':' ? cli_cut_short(argv[optind - 1], longopts) : NULL;
		if (meant)
			return msg_usage_for(ctx->err, argv[0], "%s: unknown option '%s' (did you mean --%s?)",
			                     argv[0], argv[optind - 1], meant->name);
		if (opt == ':')
			return msg_usage_for(ctx->err, argv[0], "%s: option '%s' needs a value%s", argv[0],
			                     argv[optind - 1], cli_values_hint(ctx, argv[optind - 1], hint, sizeof(hint)));
		if (opt == '?') {
			/* --flag=value for a flag that takes none: the name only (the value might be a secret). */
			const struct option *plain = cli_no_value(argv[optind - 1], longopts);
			if (plain)
				return msg_usage_for(ctx->err, argv[0], "%s: --%s takes no value: give it alone", argv[0],
				                     plain->name);
			if (optopt > 0 && optopt < 128)
				return msg_usage_for(ctx->err, argv[0], "%s: unknown option '-%c'", argv[0], optopt);
			const char *given = argv[optind - 1];
			size_t glen = strcspn(given, "=");
			/* A global option after the command (or after the wizard's options): say where it goes. */
			for (const struct option *g = cli_global_opts; g->name; g++) {
				if (glen != strlen(g->name) + 2 || strncmp(given, "--", 2) != 0 ||
				    strncmp(given + 2, g->name, glen - 2) != 0)
					continue;
				if (ctx->no_command)
					return msg_usage(ctx->err, "--%s is a global option: global options come first, then "
					                 "the command, then its options ('" AZ_PROGRAM " --%s ... [COMMAND] "
					                 "%.*s ...')", g->name, g->name, (int)strcspn(argv[1], "="), argv[1]);
				return msg_usage_for(ctx->err, argv[0], "%s: --%s is a global option: put it before "
				                     "the command ('" AZ_PROGRAM " --%s ... %s ...')", argv[0], g->name,
				                     g->name, argv[0]);
			}
			char guess[64];
			/* "--connection-type": another name of an option, as the command knows them; else a slip. */
			const char *near = ctx->guess_option && strncmp(given, "--", 2) == 0 ?
			                   ctx->guess_option(given + 2, glen - 2, guess, sizeof(guess)) : NULL, *global = NULL;
			if (!near)
				near = cli_nearest_option(given, longopts);
			/* A secret's own flag only refuses a value: its ways in are the ones to name. */
			char ways[160];
			if (near && cli_secret_ways(near, longopts, ways, sizeof(ways)))
				near = ways;
			/* "--hmoe": a global option mistyped, which comes before any command. */
			if (!near && (global = cli_nearest_option(given, cli_global_opts)) != NULL)
				return msg_usage_for(ctx->err, argv[0], "%s: unknown option '%.*s' (did you mean the global "
				                     "option --%s? it comes before the command: '" AZ_PROGRAM " --%s ... %s "
				                     "...')", argv[0], (int)glen, given, global, global,
				                     ctx->no_command ? "[COMMAND]" : argv[0]);
			/* The name only: a value after '=' might be a secret given by mistake. */
			return msg_usage_for(ctx->err, argv[0], "%s: unknown option '%.*s'%s%s%s", argv[0],
			                     (int)glen, given, near ? " (did you mean --" : "", near ? near : "",
			                     near ? "?)" : "");
		}
		/* "--name --url-type repo": the value forgotten, the next option taken for it. */
		if (optarg && optarg == argv[optind - 1] && at >= 0 && cli_names_option(optarg, longopts))
			return msg_usage_for(ctx->err, argv[0], "%s: option '--%s' needs a value%s: '%.*s' is an option",
			                     argv[0], longopts[at].name, cli_values_hint(ctx, longopts[at].name, hint,
			                     sizeof(hint)), (int)strcspn(optarg, "="), optarg);
		/* "--to-file $F" with F unset: no value at all, never "the current folder" or a default. */
		if (at >= 0 && longopts[at].has_arg == required_argument && longopts[at].val < CLI_OPT_REPEATS &&
		    optarg && !*optarg)
			return msg_usage_for(ctx->err, argv[0], "%s: --%s: an empty value (an unset variable?)", argv[0],
			                     longopts[at].name);
		/* "--to-file a --to-file b": the last one silently winning would surprise one of the two. */
		if (at >= 0 && at < CLI_OPTS_MAX && longopts[at].has_arg == required_argument &&
		    longopts[at].val < CLI_OPT_REPEATS && seen[at]++)
			return msg_usage_for(ctx->err, argv[0], "%s: --%s is given twice: give it once", argv[0],
			                     longopts[at].name);
		at = -1;
		if (!on_opt)
			return msg_usage_for(ctx->err, argv[0], "%s: unexpected option", argv[0]);
		int rc = on_opt(ctx, opt, optarg, user);
		if (rc != CLI_CONTINUE)
			return rc;
	}
	return CLI_CONTINUE;
}

int cli_want_operands(struct cli_ctx *ctx, int argc, char **argv, int n)
{
	int have = argc - optind;

	if (have < n)
		return msg_usage_for(ctx->err, argv[0], "%s: missing argument (usage: %s %s)", argv[0], argv[0],
		                     cli_find(argv[0]) ? cli_find(argv[0])->args : "");
	/* The command meant is that one: its help is the one to read. */
	if (have > n && cli_find(argv[optind + n]))
		return msg_usage_for(ctx->err, argv[optind + n], "%s%sunexpected argument '%s': a command comes before "
		                     "its own options, after the global ones ('" AZ_PROGRAM " [--home DIR] [--key-file F] "
		                     "%s [OPTIONS]')", ctx->no_command ? "" : argv[0], ctx->no_command ? "" : ": ",
		                     argv[optind + n], argv[optind + n]);
	if (have > n)
		return msg_usage_for(ctx->err, argv[0], "%s: unexpected argument '%s'", argv[0], argv[optind + n]);
	return CLI_CONTINUE;
}

int cli_output_opt(struct cli_ctx *ctx, const char *cmd, const char *arg, struct cli_output *o)
{
	if (arg && strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
		return msg_usage_for(ctx->err, cmd, "%s: --output takes text or json, not '%s'", cmd, arg);
	bool json = !arg || strcmp(arg, "json") == 0;
	/* "--json" added to a template with "--output text": one of the two would be ignored. */
	if ((arg ? o->json_given : o->output_given) && json != o->json)
		return msg_usage_for(ctx->err, cmd, "%s: --output text and --json ask for two formats: give one", cmd);
	*(arg ? &o->output_given : &o->json_given) = true;
	o->json = json;
	return CLI_CONTINUE;
}

/* A relative key file is named from /: a command printed for a later run works from any folder.
 * Left as given when the working folder cannot be named (the file is then read as given). */
static void cli_key_file_absolute(struct cli_ctx *ctx)
{
	char cwd[sizeof(ctx->key_file_abs)];
	const char *rel = ctx->key_file;

	while (rel && rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (rel && rel[0] != '/' && getcwd(cwd, sizeof(cwd)) &&
	    (size_t)snprintf(ctx->key_file_abs, sizeof(ctx->key_file_abs), "%s%s%s", cwd,
	                     strcmp(cwd, "/") == 0 ? "" : "/", rel) < sizeof(ctx->key_file_abs))
		ctx->key_file = ctx->key_file_abs;
}

int cli_main(struct cli_ctx *ctx, int argc, char **argv)
{
	int opt, at = -1;
	const char *typed;
	const struct option *plain;

	optind = 0;
	opterr = 0;
	/* '+': stop at the command name; its own options follow it. */
	while ((opt = getopt_long(argc, argv, "+:hV", cli_global_opts, &at)) != -1) {
		if (at >= 0 && !cli_whole_name(argv, &cli_global_opts[at], &typed))
			return msg_usage(ctx->err, "unknown option '%.*s' (did you mean --%s?)", (int)strcspn(typed, "="),
			                 typed, cli_global_opts[at].name);
		at = -1;
		switch (opt) {
		case 'h':
			cli_help(ctx->out);
			return AZ_EXIT_OK;
		case 'V':
			cli_version(ctx->out);
			return AZ_EXIT_OK;
		case OPT_HOME:
		case OPT_KEY_FILE:
			/* Two homes or key files: the last one silently winning would surprise one of the two. */
			if (opt == OPT_HOME ? ctx->home != NULL : ctx->key_file != NULL)
				return msg_usage(ctx->err, "--%s is given twice: give it once",
				                 opt == OPT_HOME ? "home" : "key-file");
			if (!*optarg)
				return msg_usage(ctx->err, "--%s: an empty value (an unset variable?)",
				                 opt == OPT_HOME ? "home" : "key-file");
			*(opt == OPT_HOME ? &ctx->home : &ctx->key_file) = optarg;
			break;
		case ':':
			if ((plain = cli_cut_short(argv[optind - 1], cli_global_opts)) != NULL)
				return msg_usage(ctx->err, "unknown option '%s' (did you mean --%s?)", argv[optind - 1],
				                 plain->name);
			return msg_usage(ctx->err, "option '%s' needs a value", argv[optind - 1]);
		default:
			/* --help=x, --version=x: a global option that takes no value. */
			if ((plain = cli_no_value(argv[optind - 1], cli_global_opts)) != NULL)
				return msg_usage(ctx->err, "--%s takes no value: give it alone", plain->name);
			/* Not a global option: leave it for the default command ('new'). */
			optind--;
			goto command;
		}
	}
command:;
	const struct cli_command *cmd;
	char *default_argv0 = (char *)"new";
	int cargc = argc - optind;
	char **cargv = argv + optind;

	if (cargc > 0 && cargv[0][0] != '-') {
		/* help [COMMAND]: the program's usage, or that command's --help. */
		if (strcmp(cargv[0], "help") == 0) {
			/* "help secret set" is secret's; "help --help" the program's. */
			bool named = cargc >= 2 && cargv[1][0] != '-' && strcmp(cargv[1], "help") != 0;
			const char *of = named ? cargv[1] : NULL;
			bool field = of && !cli_find(of);
			char label[128];

			/* "help URL type", unquoted: the field's label, all its words (never only the first). */
			for (int k = 2; field && k < cargc; k++)
				if (cargv[k][0] == '-' || strchr(cargv[k], '='))
					/* Not echoed: an option's value may be a secret. */
					return msg_usage(ctx->err, "help: give a command or a field, as one word or the words of "
					                 "its label ('help URL type'), and no options");
			if (field && cargc > 2) {
				size_t len = 0;
				for (int k = 1; k < cargc && len < sizeof(label); k++)
					len += (size_t)snprintf(label + len, sizeof(label) - len, "%s%s", k > 1 ? " " : "", cargv[k]);
				of = label;
			}

			/* "help url": a field's help, as the wizard's F1 gives it. */
			if (field && cmd_new_field_help(ctx->out, of))
				return AZ_EXIT_OK;
			if (field)
				return cli_unknown_command(ctx, "help: ", of, true);
			if (of)
				cli_command_usage(ctx, of, ctx->out);
			else
				cli_help(ctx->out);
			return AZ_EXIT_OK;
		}
		cmd = cli_find(cargv[0]);
		if (!cmd)
			return cli_unknown_command(ctx, "", cargv[0], false);
	} else {
		/* No command: the wizard. cargv[-1] exists (argv[0] at least). */
		cmd = cli_find("new");
		ctx->no_command = true;
		cargv--;
		cargc++;
		cargv[0] = default_argv0;
	}
	if (ctx->home && ctx->home[0] != '/')
		return msg_usage(ctx->err, "--home needs an absolute path, not '%s'", ctx->home);
	cli_key_file_absolute(ctx);
	if (paths_init(&ctx->paths, ctx->home, ctx->err) != 0) {
		/* The help needs no folder: given, it is still shown (after the message about HOME). */
		for (int i = 1; i < cargc && strcmp(cargv[i], "--") != 0; i++)
			if (strcmp(cargv[i], "--help") == 0 || strcmp(cargv[i], "-h") == 0) {
				cli_command_usage(ctx, cmd->name, ctx->out);
				return AZ_EXIT_OK;
			}
		return AZ_EXIT_ERROR;
	}
	int rc = cmd->run(ctx, cargc, cargv);
	paths_free(&ctx->paths);
	return rc;
}
