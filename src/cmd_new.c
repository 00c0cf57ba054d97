/* new and edit: the wizard on a terminal, or a non-interactive run from flags and an answers file. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "cmd.h"
#include "conncheck.h"
#include "connector.h"
#include "cmd_connector.h"
#include "connector_file.h"
#include "exitcode.h"
#include "fileio.h"
#include "ident.h"
#include "json.h"
#include "msg.h"
#include "newconn.h"
#include "store.h"
#include "store_cli.h"
#include "utf8.h"

enum {
	OPT_NON_INTERACTIVE = 256,
	OPT_SKIP_TEST,
	OPT_SAVE_ON_FAILURE,
	OPT_DRY_RUN,
	OPT_OUTPUT,
	OPT_JSON,
	OPT_WRITE_ANSWERS,
	OPT_ASCII,
	OPT_FIELD = CLI_OPT_REPEATS, /* + field id * NEW_VARIANTS + variant: a list's flag repeats */
};

/* How a field's flag gives its value: --KEY V, and for secrets --KEY-file F, --KEY-stdin, --KEY-secret ID. */
enum new_variant { NEW_VALUE, NEW_FILE, NEW_STDIN, NEW_SECRET, NEW_VARIANTS };
/* Past the fields' options: given twice, new_opt says how to merge the files. */
enum { OPT_ANSWERS = OPT_FIELD + FIELD_COUNT * NEW_VARIANTS };
static const char *const new_suffix[NEW_VARIANTS] = { "", "-file", "-stdin", "-secret" };

#define NEW_MAX_FLAGS 256
#define NEW_OPTS_MAX (FIELD_COUNT * NEW_VARIANTS + 16)

struct new_flag {
	enum field_id id;
	enum new_variant variant;
	const char *arg;
};

struct new_args {
	const char *cmd;             /* "new" or "edit", for messages */
	const char *editing;         /* edit: the identifier of the saved connector */
	struct connector *base;      /* edit: the saved connector, the values to start from */
	bool non_interactive, skip_test, save_on_failure, dry_run, ascii;
	struct cli_output out;          /* --output or --json: out.json for JSON */
	const char *answers, *write_answers;
	struct conncheck_opts check;
	struct new_flag flags[NEW_MAX_FLAGS];
	size_t nflags;
};

/* The long options: the fixed ones, then one per field (four per secret field). */
struct new_options {
	struct option opt[NEW_OPTS_MAX];
	char names[FIELD_COUNT * NEW_VARIANTS][64];
};

static void new_options_build(struct new_options *o)
{
	static const struct option fixed[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "non-interactive", no_argument, NULL, OPT_NON_INTERACTIVE },
		{ "answers", required_argument, NULL, OPT_ANSWERS },
		{ "skip-test", no_argument, NULL, OPT_SKIP_TEST },
		{ "save-on-failure", no_argument, NULL, OPT_SAVE_ON_FAILURE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "write-answers", required_argument, NULL, OPT_WRITE_ANSWERS },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		CONNCHECK_LONGOPTS,
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		o->opt[n++] = fixed[i];
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		int variants = f->kind == FIELD_SECRET ? NEW_VARIANTS : 1;

		for (int v = 0; v < variants; v++) {
			char *name = o->names[id * NEW_VARIANTS + v];
			snprintf(name, sizeof(o->names[0]), "%s%s", f->key, new_suffix[v]);
			o->opt[n++] = (struct option){ name, v == NEW_STDIN ? no_argument : required_argument,
			                               NULL, OPT_FIELD + id * NEW_VARIANTS + v };
		}
	}
	o->opt[n] = (struct option){ NULL, 0, NULL, 0 };
}

/*
 * The field a word names by any of its names, and the way in its ending says
 * ("--pat-file": the token, NEW_FILE): a secret's ways first, "pat-file" being
 * the token's file, not a field named so. NULL: none.
 */
static const struct field *new_field_named(const char *word, size_t len, int *variant)
{
	for (int v = NEW_VARIANTS - 1; v >= 0; v--) {
		size_t n = strlen(new_suffix[v]);
		if (len <= n || strncmp(word + len - n, new_suffix[v], n) != 0)
			continue;
		const struct field *f = fields_find_loose(word, len - n);
		if (f && (v == 0 || f->kind == FIELD_SECRET)) {
			*variant = v;
			return f;
		}
	}
	return NULL;
}

/* The option meant by an unknown one: a field's other name ("--connection-type", "--pat-file"). */
static const char *new_guess_option(const char *word, size_t len, char *buf, size_t buflen)
{
	int v;
	const struct field *f = new_field_named(word, len, &v);

	if (!f)
		return NULL;
	snprintf(buf, buflen, "%s%s", f->key, new_suffix[v]);
	return buf;
}

/* The values of a choice or toggle field's flag, as new --help writes them ("true|false"). */
static const char *new_option_values(const char *name, char *buf, size_t buflen)
{
	const struct field *f = fields_find(name);

	return f && f->choices ? fields_choices_text(f->id, false, "|", buf, buflen) : NULL;
}

static int new_opt(struct cli_ctx *ctx, int opt, const char *arg, void *user)
{
	struct new_args *a = user;
	char msg[CONNCHECK_MSG_MAX];

	switch (opt) {
	case OPT_NON_INTERACTIVE: a->non_interactive = true; return CLI_CONTINUE;
	case OPT_ANSWERS:
		if (a->answers)
			return msg_usage_for(ctx->err, a->cmd, "%s: --answers given twice: merge the files into one",
			                     a->cmd);
		if (!*arg)
			return msg_usage_for(ctx->err, a->cmd, "%s: --answers: an empty value (an unset variable?)",
			                     a->cmd);
		a->answers = arg;
		return CLI_CONTINUE;
	case OPT_SKIP_TEST: a->skip_test = true; return CLI_CONTINUE;
	case OPT_SAVE_ON_FAILURE: a->save_on_failure = true; return CLI_CONTINUE;
	case OPT_DRY_RUN: a->dry_run = a->check.dry_run = true; return CLI_CONTINUE;
	case OPT_WRITE_ANSWERS: a->write_answers = arg; return CLI_CONTINUE;
	case OPT_ASCII: a->ascii = true; return CLI_CONTINUE;
	case OPT_OUTPUT:
		return cli_output_opt(ctx, a->cmd, arg, &a->out);
	case OPT_JSON:
		return cli_output_opt(ctx, a->cmd, NULL, &a->out); /* as list, show and test spell it */
	}
	int taken = conncheck_parse_opt(&a->check, opt, arg, msg, sizeof(msg));
	if (taken < 0)
		return msg_usage_for(ctx->err, a->cmd, "%s: %s", a->cmd, msg);
	if (taken)
		return CLI_CONTINUE;

	enum field_id id = (enum field_id)((opt - OPT_FIELD) / NEW_VARIANTS);
	enum new_variant v = (enum new_variant)((opt - OPT_FIELD) % NEW_VARIANTS);
	const char *key = fields_at(id)->key;
	if (fields_at(id)->kind == FIELD_SECRET && v == NEW_VALUE)
		return msg_usage_for(ctx->err, a->cmd, "%s: --%s: a secret is never taken on the command "
		                     "line (ps and shell history would show it): use --%s-file F, --%s-stdin "
		                     "or --%s-secret ID", a->cmd, key, key, key, key);
	/*
	 * One value a field (a list's flag repeats): the last one silently winning would surprise. A
	 * secret's file and stdin both given are two values, said with the field's other errors.
	 */
	for (size_t i = 0; i < a->nflags && fields_at(id)->kind != FIELD_LIST; i++)
		if (a->flags[i].id == id && a->flags[i].variant == v)
			return msg_usage_for(ctx->err, a->cmd, "%s: --%s%s is given twice: give it once", a->cmd, key,
			                     new_suffix[v]);
	if (a->nflags == NEW_MAX_FLAGS)
		return msg_usage_for(ctx->err, a->cmd, "%s: more than %d field flags", a->cmd, NEW_MAX_FLAGS);
	a->flags[a->nflags++] = (struct new_flag){ id, v, arg };
	return CLI_CONTINUE;
}

/*
 * text folded at its spaces into lines of at most width bytes, each after indent spaces, the lines
 * after the first hang more spaces further in.
 */
static void new_print_folded(FILE *out, const char *text, int indent, int hang, size_t width)
{
	for (int line = 0; *text; line++) {
		size_t room = line ? width - (size_t)hang : width, cut = strlen(text);
		if (cut > room) {
			for (cut = room; cut > 0 && text[cut] != ' '; cut--)
				;
			if (cut == 0) /* a word longer than a line: whole */
				cut = room + strcspn(text + room, " ");
		}
		fprintf(out, "%*s%.*s\n", indent + (line ? hang : 0), "", (int)cut, text);
		text += cut;
		text += strspn(text, " ");
	}
}

/* A field in new --help: its flags; then its label, when it applies and its default (80 columns). */
static void new_usage_field(FILE *out, const struct field *f, bool editing)
{
	char what[160] = "VALUE", text[512];
	size_t n;

	if (f->choices)
		fields_choices_text(f->id, false, "|", what, sizeof(what));
	else if (f->kind == FIELD_LIST)
		snprintf(what, sizeof(what), "A,B");
	if (f->kind == FIELD_SECRET)
		snprintf(text, sizeof(text), "--%s-file F | --%s-stdin | --%s-secret ID", f->key, f->key, f->key);
	else
		snprintf(text, sizeof(text), "--%s %s", f->key, what);
	/* A flag of its own on a line after the first is not a field's (completion reads fields so). */
	new_print_folded(out, text, 2, 2, 77);
	n = (size_t)snprintf(text, sizeof(text), "%s", f->label);
	/* Required, unless it has a default or is derived (a secret's derived default is its id, not it). */
	bool derived = f->derive && f->kind != FIELD_SECRET;
	bool needed = f->required && !f->def && !derived && !editing;
	if ((needed || f->when) && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " (%s%s%s)", needed ? "required" : "only",
		                      f->when ? " with " : "", f->when ? f->when : "");
	/* An edit keeps what is saved: a default would read as what a field left out becomes. */
	const char *def = editing ? NULL : f->def ? f->def : f->def_secret ? f->def_secret
	                  : derived ? "from the other fields" : NULL;
	if (def && n < sizeof(text))
		snprintf(text + n, sizeof(text) - n, " [default: %s]", def);
	new_print_folded(out, text, 8, 0, 71);
}

/*
 * The options and fields new and edit share; editing: an edit's fields, each optional (the saved
 * value stays), the identifier not among them.
 */
static void new_usage_body(FILE *out, bool editing)
{
	fputs("\n"
	      "Options:\n"
	      "  --non-interactive       take every field from flags and --answers (only the\n"
	      "                          store passphrase is asked, on a terminal, without\n"
	      "                          --key-file)\n"
	      "  --answers F             a JSON file of field values (the keys below; flags\n"
	      "                          win)\n"
	      "  --write-answers F       also write the values used (no secrets) to F, for\n"
	      "                          replay\n"
	      "  --skip-test             save without the connectivity check\n"
	      "  --save-on-failure       save even when the check fails (exit status 4)\n"
	      "  --dry-run               validate and check; write nothing (but\n"
	      "                          --write-answers F); say what the real run would do\n"
	      "  --output text|json      the result as text (default) or JSON (--json: the\n"
	      "                          same)\n"
	      "  --ascii                 the wizard draws with ASCII only (no line drawing, '*'\n"
	      "                          masks)\n"
	      CONNCHECK_USAGE
	      "\n", out);
	fputs(editing ? "Fields (each optional: what is not given stays as saved; a list takes its flag\n"
	                "repeated or comma-separated values):\n"
	              : "Fields (a list takes its flag repeated or comma-separated values):\n", out);
	for (int id = 0; id < FIELD_COUNT; id++)
		if (!editing || id != FIELD_IDENTIFIER)
			new_usage_field(out, fields_at(id), editing);
	fputs("\nSecrets are never taken as flag values: --KEY-file F or --KEY-stdin give a\n"
	      "value (stored under the id of --KEY-secret, or <identifier>-KEY); --KEY-secret\n"
	      "ID alone uses a secret already in the store.\n", out);
}

bool cmd_new_field_help(FILE *out, const char *word)
{
	int v;
	const struct field *f = new_field_named(word, strlen(word), &v);

	if (!f)
		return false;
	fprintf(out, "The field %s of new and edit, on the wizard's %s page:\n", f->key, fields_page_title(f->page));
	new_usage_field(out, f, false);
	new_print_folded(out, f->help, 8, 0, 70);
	if (f->example)
		fprintf(out, "        e.g. %s\n", f->example);
	if (f->kind == FIELD_SECRET)
		fprintf(out, "An answers file never holds its value: it gives the store id of one already\n"
		        "stored as \"%s%s\".\n", f->key, new_suffix[NEW_SECRET]);
	else
		fprintf(out, "In an answers file: \"%s\".\n", f->key);
	return true;
}

void cmd_new_usage(FILE *out)
{
	fputs("Usage: " AZ_PROGRAM " new [--non-interactive] [--answers F] [--FIELD VALUE ...]\n"
	      "Create a connector: the wizard on a terminal, or from flags and an answers file.\n", out);
	new_usage_body(out, false);
}

void cmd_edit_usage(FILE *out)
{
	fputs("Usage: " AZ_PROGRAM " edit ID [--non-interactive] [--answers F]\n"
	      "       [--FIELD VALUE ...]\n"
	      "Change a saved connector: the wizard on a terminal, or from flags and an answers\n"
	      "file. The saved values are the start; only what is given changes (values that no\n"
	      "longer apply, e.g. the token after --connection ssh, are dropped). A new secret\n"
	      "value replaces the stored one of its id. The identifier cannot change.\n", out);
	new_usage_body(out, true);
}

/* The answers file ("-": stdin): the connector file's keys, every one optional. */
static struct connector *new_answers(const struct cli_ctx *ctx, const struct new_args *a,
                                     struct newconn_errors *e)
{
	const char *path = a->answers;
	char *text = NULL, msg[4096];
	size_t len = 0;
	struct connector *c;

	if (strcmp(path, "-") == 0 && ctx->stdin_tty) {
		newconn_error(e, "answers", "standard input is a terminal: give the answers as a file, or pipe them");
		return NULL;
	}
	for (size_t i = 0; strcmp(path, "-") == 0 && i < a->nflags; i++)
		if (a->flags[i].variant == NEW_STDIN) {
			newconn_error(e, "answers", "standard input is --%s-stdin's: give the answers as a file",
			              fields_at(a->flags[i].id)->key);
			return NULL;
		}
	if (fileio_read_input(path, CONNECTOR_FILE_MAX, &text, &len) != 0) {
		if (errno == EFBIG)
			newconn_error(e, "answers", "%s is larger than an answers file can be (%d KiB)", path,
			              CONNECTOR_FILE_MAX / 1024);
		else
			newconn_error(e, "answers", "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	c = connector_file_parse_answers(text, len, path, msg, sizeof(msg));
	sodium_memzero(text, len); /* a secret put in it by mistake (refused) goes no further */
	free(text);
	/* One error a line: every fault of the file at once. */
	for (char *line = msg, *nl; !c && *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		newconn_error(e, "answers", "%.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	return c;
}

/* The flags over the answers: a list flag replaces the file's list, then adds. */
static void new_apply_flags(const struct cli_ctx *ctx, const struct new_args *a, struct connector *c,
                            struct newconn_errors *e)
{
	bool seen[FIELD_COUNT] = { false };
	char msg[FIELD_MSG_MAX], prog[CLI_PROGRAM_MAX];

	for (size_t i = 0; i < a->nflags; i++) {
		const struct new_flag *fl = &a->flags[i];
		bool ok = true;

		if (fl->variant == NEW_SECRET && !*fl->arg) {
			newconn_error(e, fields_at(fl->id)->key, "--%s-secret needs a store id ('%s secret list' "
			              "shows them)", fields_at(fl->id)->key, cli_program(ctx, true, prog, sizeof(prog)));
			continue;
		}
		if (fl->variant == NEW_VALUE || fl->variant == NEW_SECRET) {
			if (seen[fl->id] && fields_at(fl->id)->kind == FIELD_LIST)
				ok = fields_add(c, fl->id, fl->arg, msg, sizeof(msg));
			else
				ok = fields_set(c, fl->id, fl->arg, msg, sizeof(msg));
			seen[fl->id] = true;
		}
		if (!ok)
			newconn_error(e, fields_at(fl->id)->key, "%s", msg);
	}
}

/*
 * The values to start from: the saved connector (edit), the answers file over
 * it, then the flags. A saved value that no longer applies (the token after
 * --connection ssh) goes; one given stays, to be refused as for new. NULL
 * when the answers file is refused (the flags' errors are reported too).
 */
static struct connector *new_start(const struct cli_ctx *ctx, const struct new_args *a,
                                   struct newconn_errors *e)
{
	struct connector *c = a->base ? connector_dup(a->base) : connector_new();
	struct connector *ans = NULL;
	bool given[FIELD_COUNT] = { false };
	char msg[FIELD_MSG_MAX];

	if (!c) {
		newconn_error(e, "connector", "out of memory");
		return NULL;
	}
	/* Known before anything is saved (or the wizard starts): a run that saves must be able to write it. */
	if (a->write_answers && !newconn_answers_path_ok(ctx, a->write_answers, msg, sizeof(msg)))
		newconn_error(e, "write-answers", "%s", msg);
	if (a->answers)
		ans = new_answers(ctx, a, e);
	for (int id = 0; ans && id < FIELD_COUNT; id++) {
		const char *v = connector_get(ans, id);
		given[id] = v != NULL;
		if (v && connector_put(c, id, v) != 0)
			newconn_error(e, "answers", "out of memory");
	}
	new_apply_flags(ctx, a, c, e);
	if (a->answers && !ans) {
		connector_free(c);
		return NULL;
	}
	connector_free(ans);
	for (size_t i = 0; i < a->nflags; i++)
		given[a->flags[i].id] = true;
	/* The API token that was the HTTP token's secret follows it to another id, unless given. */
	if (a->base && given[FIELD_TOKEN] && !given[FIELD_API_TOKEN] && connector_get(a->base, FIELD_TOKEN) &&
	    connector_is(a->base, FIELD_API_TOKEN, connector_get(a->base, FIELD_TOKEN)) &&
	    connector_put(c, FIELD_API_TOKEN, connector_get(c, FIELD_TOKEN)) != 0)
		newconn_error(e, "connector", "out of memory");
	/* The secret scope that was the scope's (its default) follows a new scope, unless given. */
	if (a->base && given[FIELD_SCOPE] && !given[FIELD_SECRET_SCOPE] &&
	    connector_is(a->base, FIELD_SECRET_SCOPE, connector_value(a->base, FIELD_SCOPE)) &&
	    connector_put(c, FIELD_SECRET_SCOPE, NULL) != 0)
		newconn_error(e, "connector", "out of memory");
	for (int id = 0; a->base && id < FIELD_COUNT; id++)
		if (!given[id] && !fields_applies(c, id) && connector_put(c, id, NULL) != 0)
			newconn_error(e, "connector", "out of memory");
	return c;
}

/* Is path standard input itself (/dev/stdin, /proc/self/fd/0)? */
static bool new_names_stdin(const char *path)
{
	struct stat in, st;

	return fstat(STDIN_FILENO, &in) == 0 && stat(path, &st) == 0 && in.st_dev == st.st_dev &&
	       in.st_ino == st.st_ino;
}

/* Read the secret values given by --KEY-file and --KEY-stdin. */
static void new_read_secrets(const struct cli_ctx *ctx, const struct new_args *a, struct newconn_secrets *s,
                             struct newconn_errors *e)
{
	bool stdin_used = false;
	/* Who reads standard input already: a --KEY-file naming it would find it read (empty). */
	const char *reader = a->answers && strcmp(a->answers, "-") == 0 ? "--answers -" : NULL;
	char readerbuf[64];

	for (size_t i = 0; !reader && i < a->nflags; i++)
		if (a->flags[i].variant == NEW_STDIN) {
			snprintf(readerbuf, sizeof(readerbuf), "--%s-stdin", fields_at(a->flags[i].id)->key);
			reader = readerbuf;
		}

	for (size_t i = 0; i < a->nflags; i++) {
		const struct new_flag *fl = &a->flags[i];
		const struct field *f = fields_at(fl->id);
		char prompt[128], flag[96], msg[FIELD_MSG_MAX];

		if (fl->variant != NEW_FILE && fl->variant != NEW_STDIN)
			continue;
		if (s->fresh[fl->id]) {
			newconn_error(e, f->key, "the value is given twice: keep one --%s-file F or --%s-stdin",
			              f->key, f->key);
			continue;
		}
		if (fl->variant == NEW_STDIN && stdin_used) {
			s->unread[fl->id] = true; /* refused: never the value of another field instead */
			newconn_error(e, f->key, "only one secret can come from stdin; use --%s-file F", f->key);
			continue;
		}
		if (fl->variant == NEW_FILE && !*fl->arg) {
			s->unread[fl->id] = true;
			newconn_error(e, f->key, "--%s-file was given an empty file name (an unset variable?)", f->key);
			continue;
		}
		if (fl->variant == NEW_FILE && strcmp(fl->arg, "-") == 0) {
			s->unread[fl->id] = true;
			newconn_error(e, f->key, "--%s-file -: standard input is read with --%s-stdin", f->key, f->key);
			continue;
		}
		if (fl->variant == NEW_FILE && reader && new_names_stdin(fl->arg)) {
			s->unread[fl->id] = true;
			newconn_error(e, f->key, "--%s-file %s is standard input, which %s reads: give the value in a "
			              "file of its own", f->key, fl->arg, reader);
			continue;
		}
		stdin_used |= fl->variant == NEW_STDIN;
		snprintf(prompt, sizeof(prompt), "%s (not shown): ", f->label);
		snprintf(flag, sizeof(flag), "--%s-file F", f->key);
		if (store_cli_read_value(ctx, fields_at(fl->id)->store_kind, fl->variant == NEW_FILE ? fl->arg : NULL,
		                         prompt, flag, &s->v.val[fl->id], msg, sizeof(msg)) == AZ_EXIT_OK) {
			s->fresh[fl->id] = true;
			s->from[fl->id] = fl->variant == NEW_FILE ? fl->arg : "standard input";
		} else {
			s->unread[fl->id] = true;
			newconn_error(e, f->key, "%s", msg);
		}
	}
}

static void new_report_json(struct cli_ctx *ctx, const struct connector *c, const char *editing,
                            const struct newconn_errors *e, const char *said, bool saved, bool changed,
                            const struct check_result *res, size_t n, bool checked,
                            const struct newconn_secrets *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *errs = cJSON_AddArrayToObject(o, "errors");
	char *text;

	/* What the run said on stderr (the store's errors and notes), line by line. */
	json_add_messages(o, said);

	/* An identifier that looks like a token is refused (said in errors), never repeated here: logs keep this. */
	const char *ident = c ? connector_get(c, FIELD_IDENTIFIER) : editing; /* the edit's, loaded already */
	char *shown = strdup(ident && !ident_looks_like_token(ident) ? ident : "");
	if (shown)
		utf8_scrub(shown); /* an edit's argument, not checked yet */
	cJSON_AddStringToObject(o, "identifier", shown ? shown : "");
	free(shown);
	cJSON_AddBoolToObject(o, "saved", saved);
	cJSON_AddBoolToObject(o, "changed", changed);
	for (size_t i = 0; e && i < e->n; i++) {
		cJSON *item = cJSON_CreateObject();
		const char *colon = strstr(e->line[i], ": ");
		char field[64];

		snprintf(field, sizeof(field), "%.*s", colon ? (int)(colon - e->line[i]) : 0, e->line[i]);
		cJSON_AddStringToObject(item, "field", field);
		cJSON_AddStringToObject(item, "message", colon ? colon + 2 : e->line[i]);
		cJSON_AddItemToArray(errs, item);
	}
	/* Every member is always there: null says no check ran (invalid input, --skip-test). */
	cJSON_AddItemToObject(o, "check", checked ? check_json(res, n) : cJSON_CreateNull());
	/* An edit's secrets that nothing uses now (an id that looks like a token is not repeated). */
	cJSON *unused = cJSON_AddArrayToObject(o, "unused_secrets");
	for (size_t i = 0; s && i < s->nunused; i++)
		if (!ident_looks_like_token(s->unused[i]))
			cJSON_AddItemToArray(unused, cJSON_CreateString(s->unused[i]));
	text = cJSON_PrintUnformatted(o);
	if (text)
		fprintf(ctx->out, "%s\n", text);
	cJSON_free(text);
	cJSON_Delete(o);
}

static int new_non_interactive(struct cli_ctx *ctx, struct new_args *a)
{
	struct newconn_errors *e = calloc(1, sizeof(*e));
	struct newconn_secrets s = { 0 };
	struct check_result res[CHECK_MAX_PROBES];
	struct store *store = NULL;
	struct connector *c = NULL;
	size_t n = 0;
	bool checked = false, saved = false, changed = false;
	char msg[512];
	struct msg_capture said = { 0 };
	int rc = AZ_EXIT_INVALID;

	if (!e) {
		msg_error(ctx->err, "out of memory");
		return AZ_EXIT_ERROR;
	}
	/* With --output json, what the run says on stderr is also in the JSON: caught here. */
	if (a->out.json)
		msg_capture_start(&said, &ctx->err);
	if (!(c = new_start(ctx, a, e)))
		goto report;
	if (a->check.accept_host_key && !fields_applies(c, FIELD_SSH_KEY))
		newconn_error(e, "accept-host-key", "only used with connection ssh: leave it out");
	else if (a->check.ca_file && !conncheck_uses_https(c))
		newconn_error(e, "ca-file", "only used over HTTPS (connection http, or API access): leave it out");
	s.replace = a->editing != NULL;
	s.base = a->base;
	for (size_t i = 0; i < a->nflags; i++)
		if (a->flags[i].variant == NEW_SECRET && *a->flags[i].arg)
			s.named[a->flags[i].id] = true;
	for (int id = 0; id < FIELD_COUNT; id++)
		s.named[id] |= fields_at(id)->kind == FIELD_SECRET && connector_get(c, id) != NULL;
	new_read_secrets(ctx, a, &s, e);
	bool key_later = newconn_validate(ctx, a->editing, c, &s, e);
	/*
	 * With errors already, the store is still read for the secrets named, so that all are
	 * reported at once; but only when a key file opens it (no passphrase asked in vain), and
	 * it is never created then.
	 */
	size_t invalid = e->n;
	if (invalid && !ctx->key_file) {
		newconn_no_store_errors(ctx, c, &s, e);
		goto report;
	}
	/* A store (or key file) is created only to save: not before the check, never in a dry run. */
	rc = newconn_open_store(ctx, a->dry_run, false, c, &s, &store, e);
	if (rc == AZ_EXIT_OK && key_later)
		newconn_check_key(c, &s, e);
	if (rc != AZ_EXIT_OK || e->n) {
		rc = rc != AZ_EXIT_OK && !invalid ? rc : AZ_EXIT_INVALID;
		goto report;
	}
	if ((rc = newconn_dirs_usable(ctx, c, &s, a->dry_run)) != AZ_EXIT_OK)
		goto report;
	/* An edit that changes nothing tests nothing ('test' does): a playbook's run of it stays idempotent. */
	bool same = newconn_unchanged(ctx, a->editing, c, &s);
	if (!a->skip_test && !same) {
		/* A host key accepted is kept with what is saved: not after a check that saves nothing. */
		a->check.record_only_if_passed = !a->save_on_failure;
		/* ... and only once it is saved (the store may yet fail to open): recorded below. */
		struct conncheck_opts now = a->check;
		now.dry_run = true;
		if (conncheck_run(c, &s.v, &now, NULL, NULL, res, &n, msg, sizeof(msg)) != 0) {
			msg_error(ctx->err, "%s", msg);
			rc = AZ_EXIT_ERROR;
			goto report;
		}
		checked = true;
		if (!a->out.json)
			check_print_text(ctx->out, res, n);
	}
	if (a->skip_test || same) {
		if (!same)
			newconn_note_short_tokens(ctx->err, c, &s);
		/* Taken (a fleet's template gives them to every run), not silently unused. */
		const char *unused[3];
		size_t nu = 0;
		if (a->check.ca_file)
			unused[nu++] = "--ca-file";
		if (a->check.timeout_ms > 0)
			unused[nu++] = "--timeout";
		if (a->check.accept_host_key)
			unused[nu++] = "--accept-host-key";
		if (nu)
			msg_error(ctx->err, "note: %s%s%s%s%s not used: %s", unused[0], nu > 2 ? ", " : nu > 1 ? " and " : "",
			          nu > 1 ? unused[1] : "", nu > 2 ? " and " : "", nu > 2 ? unused[2] : "",
			          a->skip_test ? "--skip-test runs no connection test"
			                       : "the edit changes nothing, so it runs no connection test ('test' runs one)");
	}
	bool check_ok = !checked || check_all_ok(res, n);
	rc = check_ok ? AZ_EXIT_OK : AZ_EXIT_CHECK;
	if (a->dry_run) {
		/* "new host key ... accepted" by the probe: not into known_hosts, which is written too. */
		bool key_accepted = false;
		for (size_t i = 0; i < n; i++)
			key_accepted |= res[i].host_key_status == CHECK_HOSTKEY_ACCEPTED;
		/* What the real run would do (a playbook's check mode): write the connector, or nothing. */
		bool differs = !same;
		changed = differs && (check_ok || a->save_on_failure);
		if (!a->out.json)
			msg_error(ctx->err, "dry run: valid%s; nothing was written%s%s%s; the real run would %s",
			          checked ? (check_ok ? ", check passed" : ", check FAILED") : "",
			          key_accepted ? " (the host key accepted is not recorded)" : "",
			          a->write_answers ? " but the answers file " : "",
			          a->write_answers ? a->write_answers : "",
			          changed ? (a->editing ? "change the connector" : "save the connector")
			                  : differs ? "save nothing (the check failed)" : "change nothing");
		goto report;
	}
	if (!check_ok && !a->save_on_failure) {
		if (!a->out.json)
			msg_error(ctx->err, "the check failed: nothing was saved (fix the above, or "
			                    "--save-on-failure to keep it anyway)");
		goto report;
	}
	/* The answers first: one that cannot be written (a full disk) leaves nothing saved, as promised. */
	int arc = a->write_answers ? newconn_write_answers(ctx, a->write_answers, c) : AZ_EXIT_OK;
	if (arc != AZ_EXIT_OK) {
		rc = arc;
		if (!a->out.json)
			msg_error(ctx->err, "nothing was saved");
		goto report;
	}
	/* An edit that changes nothing writes nothing, and says so (a playbook's "changed"). */
	if (!same) {
		int save_rc = newconn_save(ctx, c, a->base, &s, &store, e);
		/* A failed check saved anyway (--save-on-failure) keeps its status: a folder not synced is said. */
		if (save_rc != AZ_EXIT_OK && !(s.saved && rc == AZ_EXIT_CHECK))
			rc = save_rc;
		/* Saved, only a folder not synced (said): the rest of a save's notes still hold. */
		if (save_rc != AZ_EXIT_OK && !s.saved)
			goto report;
		changed = true;
	}
	saved = true;
	/* A host key accepted for this connector is kept with it: now, not by the check. */
	if (checked && conncheck_record(c, &a->check, res, n, msg, sizeof(msg)) != 0) {
		msg_error(ctx->err, "%s", msg);
		rc = AZ_EXIT_ERROR;
	}
	const char *key = connector_get(c, FIELD_SSH_KEY);
	/* The notes of a save: with --output json, in its messages (the unused secrets have their own key). */
	FILE *notes = a->out.json ? ctx->err : ctx->out;
	if (changed) {
		if (!a->out.json)
			fprintf(ctx->out, "saved connector '%s' in %s/%s.json\n", connector_get(c, FIELD_IDENTIFIER),
			        ctx->paths.connectors_dir, connector_get(c, FIELD_IDENTIFIER));
		/* Once, when the key is stored: not on each edit of other fields. */
		if (key && s.v.val[FIELD_SSH_KEY] && s.fresh[FIELD_SSH_KEY])
			cmd_secret_print_pem_hint(ctx, notes, "its SSH key", key, s.v.val[FIELD_SSH_KEY], c);
		if (!a->out.json)
			cmd_connector_print_unused(ctx, s.unused, s.nunused, s.maybe_unused, store);
		else
			cmd_connector_print_maybe_unused(notes, s.maybe_unused);
		/* A new value under an id other connectors name too: theirs now as well, said. */
		newconn_print_shared(ctx, notes, c, &s);
	} else if (!a->out.json) {
		fprintf(ctx->out, "connector '%s' unchanged: %s", a->editing,
		        a->write_answers ? "its file is not rewritten" : "nothing written");
		if (!a->skip_test) {
			fputs(", nothing tested (to test it: ", ctx->out);
			cli_print_program(ctx, ctx->out, true);
			fprintf(ctx->out, " test %s)", a->editing);
		}
		if (a->write_answers)
			fprintf(ctx->out, "; the answers are in %s", a->write_answers);
		fputc('\n', ctx->out);
	}
report:
	/* A dry run writes the answers file where the run itself would (the check's result aside). */
	if (a->write_answers && !saved && a->dry_run && c && e->n == 0 && (rc == AZ_EXIT_OK || rc == AZ_EXIT_CHECK)) {
		int wrc = newconn_write_answers(ctx, a->write_answers, c);
		if (wrc != AZ_EXIT_OK)
			rc = wrc;
	}
	msg_capture_end(&said, &ctx->err);
	if (a->out.json) {
		new_report_json(ctx, c, a->editing, e, said.text, saved, changed, res, n, checked, &s);
	} else {
		for (size_t i = 0; i < e->n; i++)
			msg_error(ctx->err, "%s", e->line[i]);
		/* The values are checked with the answers they go with: once the file can be read. */
		if (e->n)
			msg_error(ctx->err, "%zu error%s; nothing was written%s", e->n, e->n == 1 ? "" : "s",
			          !c && a->answers ? " (the values are checked once the answers file is right)" : "");
	}
	store_close(store);
	conncheck_secrets_clear(&s.v);
	connector_free(c);
	free(said.text);
	free(e);
	return rc;
}

/* The wizard, starting from the values of --answers and the flags. */
static int new_wizard(struct cli_ctx *ctx, struct new_args *a)
{
	struct newconn_errors *e = calloc(1, sizeof(*e));
	struct newconn_start start = { .editing = a->editing, .base = a->base, .check = a->check,
	                               .write_answers = a->write_answers, .dry_run = a->dry_run,
	                               .ascii = a->ascii };
	int rc = AZ_EXIT_INVALID;

	if (!e) {
		msg_error(ctx->err, "out of memory");
		return AZ_EXIT_ERROR;
	}
	if (!ctx->wizard) {
		char prog[CLI_PROGRAM_MAX];

		msg_error(ctx->err, "no wizard in this build: use '%s %s --non-interactive'",
		          cli_program(ctx, true, prog, sizeof(prog)), a->cmd);
		free(e);
		return AZ_EXIT_ERROR;
	}
	/* Secret values are typed or pasted in the wizard; files and stdin are for scripts. */
	for (size_t i = 0; i < a->nflags; i++)
		if (a->flags[i].variant == NEW_FILE || a->flags[i].variant == NEW_STDIN) {
			const char *key = fields_at(a->flags[i].id)->key;
			free(e);
			return msg_usage_for(ctx->err, a->cmd, "%s: --%s%s is for --non-interactive: the "
			                     "wizard asks for the %s (or give a stored one with --%s-secret ID)",
			                     a->cmd, key, new_suffix[a->flags[i].variant], key, key);
		}
	if (a->skip_test || a->save_on_failure || a->out.json) {
		free(e);
		return msg_usage_for(ctx->err, a->cmd, "%s: --skip-test, --save-on-failure and --output "
		                     "are for --non-interactive: the wizard asks", a->cmd);
	}
	/* A store its end could not open (its key file not given): said before anything is typed. */
	if ((rc = store_cli_key_at_hand(ctx)) != AZ_EXIT_OK) {
		free(e);
		return rc;
	}
	if ((rc = newconn_dirs_usable_first(ctx)) != AZ_EXIT_OK) {
		free(e);
		return rc;
	}
	rc = AZ_EXIT_INVALID;
	start.c = new_start(ctx, a, e);
	for (size_t i = 0; i < e->n; i++)
		msg_error(ctx->err, "%s", e->line[i]);
	if (e->n == 0)
		rc = ctx->wizard(ctx, &start);
	connector_free(start.c);
	free(e);
	return rc;
}

/* new and edit: the options, the saved connector to start from (edit), then the wizard or a script's run. */
static int new_main(struct cli_ctx *ctx, int argc, char **argv, const char *cmd)
{
	struct new_options *o = calloc(1, sizeof(*o));
	struct new_args *a = calloc(1, sizeof(*a));
	bool edit = strcmp(cmd, "edit") == 0;
	int rc;

	if (!o || !a) {
		free(o);
		free(a);
		msg_error(ctx->err, "out of memory");
		return AZ_EXIT_ERROR;
	}
	new_options_build(o);
	a->cmd = cmd;
	a->check.known_hosts = ctx->paths.known_hosts;
	ctx->guess_option = new_guess_option;
	ctx->option_values = new_option_values;
	rc = cli_getopt(ctx, argc, argv, NULL, o->opt, new_opt, a);
	if (rc == CLI_CONTINUE)
		rc = cli_want_operands(ctx, argc, argv, edit ? 1 : 0);
	/* Options that cancel each other: one of the two was not meant, and a script should say which. */
	if (rc == CLI_CONTINUE && a->skip_test && a->save_on_failure)
		rc = msg_usage_for(ctx->err, cmd, "%s: --save-on-failure keeps a connector whose test failed, and "
		                   "--skip-test runs none: drop one of the two", cmd);
	/* A host key to trust is recorded by the test: without one the next run would not know it. */
	if (rc == CLI_CONTINUE && a->skip_test && a->check.accept_host_key)
		rc = msg_usage_for(ctx->err, cmd, "%s: --accept-host-key is recorded by the connection test, and "
		                   "--skip-test runs none: drop one of the two", cmd);
	if (rc == CLI_CONTINUE && a->ascii && a->non_interactive)
		rc = msg_usage_for(ctx->err, cmd, "%s: --ascii is how the wizard draws, and --non-interactive runs "
		                   "none: drop --ascii", cmd);
	if (rc != CLI_CONTINUE)
		goto out;
	/* Never wait for input that cannot come: fail at once without a terminal. */
	if (!a->non_interactive && !(ctx->stdin_tty && ctx->stdout_tty)) {
		char prog[CLI_PROGRAM_MAX], why[FIELD_MSG_MAX], word[CLI_WORD_MAX];
		/* The connector named, when it is one a command line can carry. */
		const char *id = !edit ? "" : ident_check_identifier(argv[optind], "identifier", why, sizeof(why))
		                              ? cli_word(argv[optind], word, sizeof(word)) : "ID";

		/* One of the two a terminal: the other was redirected, most likely by mistake ('> log'). */
		msg_error(ctx->err, "%s: the wizard needs one on stdin and stdout; for scripts use "
		          "'%s %s%s%s --non-interactive' with flags or --answers FILE",
		          ctx->stdin_tty ? "standard output is not a terminal (redirected or piped)"
		          : ctx->stdout_tty ? "standard input is not a terminal (redirected or piped)" : "no terminal",
		          cli_program(ctx, true, prog, sizeof(prog)), cmd, edit ? " " : "", id);
		rc = AZ_EXIT_USAGE;
		goto out;
	}
	if (edit) {
		/* A script asking for JSON gets its one object when there is nothing to edit, too. */
		struct msg_capture said = { 0 };
		bool json = a->out.json && a->non_interactive;
		if (json)
			msg_capture_start(&said, &ctx->err);
		rc = cmd_connector_load(ctx, "edit", argv[optind], &a->base);
		msg_capture_end(&said, &ctx->err);
		if (rc != AZ_EXIT_OK && json) {
			/* The object names the connector asked for, when that is an identifier. */
			char why[FIELD_MSG_MAX];
			struct connector *asked = connector_new();
			if (asked && ident_check_identifier(argv[optind], "identifier", why, sizeof(why)))
				connector_put(asked, FIELD_IDENTIFIER, argv[optind]);
			new_report_json(ctx, asked, NULL, NULL, said.text, false, false, NULL, 0, false, NULL);
			connector_free(asked);
		}
		free(said.text);
		if (rc != AZ_EXIT_OK)
			goto out;
		a->editing = connector_get(a->base, FIELD_IDENTIFIER);
	}
	rc = a->non_interactive ? new_non_interactive(ctx, a) : new_wizard(ctx, a);
out:
	connector_free(a->base);
	free(o);
	free(a);
	return rc;
}

int cmd_new(struct cli_ctx *ctx, int argc, char **argv)
{
	return new_main(ctx, argc, argv, "new");
}

int cmd_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	return new_main(ctx, argc, argv, "edit");
}
