/* list, show, delete, export: saved connectors. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "azure_url.h"
#include "cmd.h"
#include "cmd_connector.h"
#include "connector_file.h"
#include "exitcode.h"
#include "export.h"
#include "ident.h"
#include "json.h"
#include "msg.h"
#include "nearest.h"
#include "newconn.h"
#include "sshkey.h"
#include "secret_users.h"
#include "store.h"
#include "store_cli.h"
#include "store_perm.h"
#include "utf8.h"

struct cmd_connector_opts {
	bool json;
	bool ids;
	bool yes;
	enum export_format format;
	bool format_given;
};

enum { OPT_JSON = 256, OPT_YES, OPT_FORMAT, OPT_IDS };

static int cmd_connector_opt(struct cli_ctx *ctx, int opt, const char *arg, void *user)
{
	struct cmd_connector_opts *o = user;

	switch (opt) {
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_YES:
		o->yes = true;
		break;
	case OPT_IDS:
		o->ids = true;
		break;
	case OPT_FORMAT:
		/* As --scope Account is taken: YAML is yaml. */
		if (strcasecmp(arg, "yaml") == 0)
			o->format = EXPORT_YAML;
		else if (strcasecmp(arg, "json") == 0)
			o->format = EXPORT_JSON;
		else
			return msg_usage_for(ctx->err, "export", "export: --format is yaml or json, not '%s'",
			                     arg);
		o->format_given = true;
		break;
	}
	return CLI_CONTINUE;
}

/* Options, then exactly `operands` operands: CLI_CONTINUE or an exit code. */
static int cmd_connector_args(struct cli_ctx *ctx, int argc, char **argv,
                              const struct option *longopts, struct cmd_connector_opts *o,
                              int operands)
{
	int rc = cli_getopt(ctx, argc, argv, NULL, longopts, cmd_connector_opt, o);

	return rc != CLI_CONTINUE ? rc : cli_want_operands(ctx, argc, argv, operands);
}

enum cmd_connector_how { CMD_MEANT_NONE, CMD_MEANT_CASE, CMD_MEANT_NAME, CMD_MEANT_SLIP };

/*
 * The saved connector an unknown ID operand likely meant, into meant: the same
 * identifier in another case, the one connector of that name (what 'list' shows
 * beside it), or the one identifier a slip or two away.
 */
static enum cmd_connector_how cmd_connector_meant(struct cli_ctx *ctx, const char *id, char *meant, size_t len)
{
	enum cmd_connector_how how = CMD_MEANT_NONE;
	struct secret_users saved;
	struct nearest slip;
	size_t named = 0;

	if (secret_users_load(ctx->paths.connectors_dir, &saved) != 0)
		return CMD_MEANT_NONE;
	nearest_start(&slip, id, strlen(id));
	/* Each identifier only its case apart ('web' and 'Web' both saved): all named, quoted. */
	size_t at = 0;
	*meant = '\0';
	for (size_t i = 0; i < saved.n; i++) {
		if (strcasecmp(saved.ids[i], id) == 0 && at < len) {
			at += (size_t)snprintf(meant + at, len - at, "%s'%s'", at ? ", " : "", saved.ids[i]);
			how = CMD_MEANT_CASE;
		}
		nearest_offer(&slip, saved.ids[i]);
	}
	/* A refused file has no name to read. */
	for (size_t i = 0; i < saved.n && how == CMD_MEANT_NONE; i++) {
		const char *name = saved.c[i] ? connector_get(saved.c[i], FIELD_NAME) : NULL;
		if (name && strcasecmp(name, id) == 0 && named++ == 0)
			snprintf(meant, len, "%s", saved.ids[i]);
	}
	/* Names need not be unique: two of that name, and which one is the user's to say. */
	if (how == CMD_MEANT_NONE && named == 1)
		how = CMD_MEANT_NAME;
	if (how == CMD_MEANT_NONE && !named && nearest_found(&slip)) {
		snprintf(meant, len, "%s", nearest_found(&slip));
		how = CMD_MEANT_SLIP;
	}
	secret_users_free(&saved);
	return how;
}

/* An ID operand must be an identifier before it comes near a file name; a connector's name gets its id. */
static int cmd_connector_check_id(struct cli_ctx *ctx, const char *cmd, const char *id)
{
	char msg[FIELD_MSG_MAX], meant[256], cut[MSG_CUT_MAX];

	if (ident_check_identifier(id, "identifier", msg, sizeof(msg)))
		return AZ_EXIT_OK;
	const char *said = msg_cut(id, cut, sizeof(cut)); /* a file's text pasted as the id: not said back whole */
	if (cmd_connector_meant(ctx, id, meant, sizeof(meant)) == CMD_MEANT_NAME)
		msg_error(ctx->err, "%s: '%s' is the name of the connector '%s': give its identifier, '%s'", cmd, said,
		          meant, meant);
	else {
		char named[PATH_MAX + 160];
		connector_file_misnamed(ctx->paths.connectors_dir, id, named, sizeof(named));
		msg_error(ctx->err, "%s: '%s' is not a connector identifier: %s%s", cmd, said, msg, named);
	}
	return AZ_EXIT_INVALID;
}

/* No connector id: the saved one it was likely meant to be, or how to see the saved ones. */
static void cmd_connector_missing(struct cli_ctx *ctx, const char *cmd, const char *id, const char *msg)
{
	char prog[CLI_PROGRAM_MAX], meant[256];

	switch (cmd_connector_meant(ctx, id, meant, sizeof(meant))) {
	case CMD_MEANT_CASE:
		msg_error(ctx->err, "%s: no connector '%s': identifiers are case-sensitive; the saved %s %s", cmd, id,
		          strchr(meant, ',') ? "ones are" : "one is", meant);
		return;
	case CMD_MEANT_NAME:
		msg_error(ctx->err, "%s: no connector '%s': that is the name of the connector '%s'; give its "
		          "identifier, '%s'", cmd, id, meant, meant);
		return;
	case CMD_MEANT_SLIP:
		msg_error(ctx->err, "%s: no connector '%s' (did you mean '%s'?)", cmd, id, meant);
		return;
	case CMD_MEANT_NONE:
		break;
	}
	msg_error(ctx->err, "%s: %s: '%s list' shows the saved ones", cmd, msg,
	          cli_program(ctx, false, prog, sizeof(prog)));
}

int cmd_connector_load(struct cli_ctx *ctx, const char *cmd, const char *id, struct connector **out)
{
	char msg[FIELD_MSG_MAX + 512];
	enum connector_file_rc rc;

	*out = NULL;
	if (cmd_connector_check_id(ctx, cmd, id) != AZ_EXIT_OK)
		return AZ_EXIT_INVALID;
	rc = connector_file_load(ctx->paths.connectors_dir, id, out, msg, sizeof(msg));
	if (rc == CONNECTOR_FILE_MISSING)
		cmd_connector_missing(ctx, cmd, id, msg);
	else if (rc != CONNECTOR_FILE_OK)
		msg_error(ctx->err, "%s: %s", cmd, msg);
	/* Kept in the file, used nowhere (show --json and export leave them out): said, not dropped quietly. */
	size_t n = rc == CONNECTOR_FILE_OK ? connector_file_unused_keys(*out, msg, sizeof(msg)) : 0;
	if (n) {
		char prog[CLI_PROGRAM_MAX], word[CLI_WORD_MAX], how[CLI_PROGRAM_MAX + CLI_WORD_MAX + 16] = "this edit";
		if (strcmp(cmd, "edit") != 0)
			snprintf(how, sizeof(how), "'%s edit %s'", cli_program(ctx, true, prog, sizeof(prog)),
			         cli_word(id, word, sizeof(word)));
		msg_error(ctx->err, "%s: connector '%s' holds %s that %s not apply to it, ignored: %s; %s drops %s", cmd,
		          id, n == 1 ? "a key" : "keys", n == 1 ? "does" : "do", msg, how, n == 1 ? "it" : "them");
	}
	return rc == CONNECTOR_FILE_OK ? AZ_EXIT_OK : AZ_EXIT_ERROR;
}

/*
 * For show and list: a value holding what looks like a token (a file made by hand, or by an older
 * release) is not printed; said, with the way out. Its identifier (the file's name) stays.
 * false (said) when it could not be withheld: nothing may be printed then.
 */
static bool cmd_connector_withhold(struct cli_ctx *ctx, const char *cmd, struct connector *c)
{
	const char *ident = connector_get(c, FIELD_IDENTIFIER);
	char prog[CLI_PROGRAM_MAX], word[CLI_WORD_MAX];

	for (int id = 0; id < FIELD_COUNT; id++) {
		const char *v = connector_get(c, id);
		/* A URL's password (user:password@) is one too, whatever it looks like. */
		bool in_url = id == FIELD_URL && v && azure_url_has_credentials(v);

		/* A secret's value here is its store id: one that looks like a token is withheld too. */
		if (id == FIELD_IDENTIFIER || !v || !(in_url || ident_looks_like_token(v)))
			continue;
		msg_error(ctx->err, "%s: '%s' holds %s in %s, not shown: %s, then change the field with '%s edit %s'",
		          cmd, ident, in_url ? "a password or token" : "what looks like a Personal Access Token",
		          fields_at(id)->key, in_url ? "change that password (or revoke the token)" : "revoke that token",
		          cli_program(ctx, true, prog, sizeof(prog)), cli_word(ident, word, sizeof(word)));
		if (connector_put(c, id, "(withheld)") != 0) {
			msg_error(ctx->err, "out of memory");
			return false;
		}
	}
	return true;
}

/*
 * A value from a file, which anyone may have edited: its control characters
 * shown as '?', a newline or tab too (a row of the table, a line of show).
 */
static void cmd_connector_put(FILE *out, const char *text)
{
	char *copy = strdup(text);

	if (copy) {
		utf8_defang_line(copy);
		for (char *tab = copy; (tab = strchr(tab, '\t')) != NULL;)
			*tab = '?';
	}
	fputs(copy ? copy : "?", out);
	free(copy);
}

/* cmd_connector_put, then pad with spaces to width characters. */
static void cmd_connector_cell(FILE *out, const char *text, size_t width)
{
	size_t n = utf8_count(text);

	cmd_connector_put(out, text);
	for (; n < width; n++)
		fputc(' ', out);
}

/*
 * The human form of a value: choice labels, lists with ", ", secrets masked;
 * an SSH key made here (F3, secret set --generate) with its public key file,
 * the one to add in Azure DevOps.
 */
static void cmd_connector_print_value(const struct cli_ctx *ctx, const struct connector *c, enum field_id id)
{
	const char *v = connector_value(c, id);
	FILE *out = ctx->out;
	char buf[4096];
	struct stat st;

	if (!v) {
		fputs("(not set)", out);
	} else if (fields_at(id)->kind == FIELD_SECRET) {
		fprintf(out, "(secret; store id: %s", v); /* ASCII: any locale */
		if (id == FIELD_SSH_KEY && sshkey_pub_path(ctx->paths.data_dir, v, buf, sizeof(buf)) &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			fprintf(out, "; public key: %s", buf);
		fputc(')', out);
	} else if (id == FIELD_SECRET_SCOPE) {
		/* The references Harness is given, as export writes them: what must exist there. */
		const char *sids[3] = { secret_users_id(c, FIELD_TOKEN), secret_users_id(c, FIELD_SSH_KEY),
		                        secret_users_id(c, FIELD_API_TOKEN) };
		export_scope_text(v, sids, buf, sizeof(buf));
		cmd_connector_put(out, buf);
	} else {
		cmd_connector_put(out, fields_human(id, v, buf, sizeof(buf)));
	}
}

int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "ids", no_argument, NULL, OPT_IDS },
		{ NULL, 0, NULL, 0 },
	};
	static const enum field_id cols[] = { FIELD_IDENTIFIER, FIELD_NAME, FIELD_CONNECTION, FIELD_URL };
	struct cmd_connector_opts o = { 0 };
	const char *dir = ctx->paths.connectors_dir;
	struct connector **conns;
	size_t n, loaded = 0, width[4] = { 0 };
	char **ids;
	int rc = cmd_connector_args(ctx, argc, argv, opts, &o, 0);

	if (rc != CLI_CONTINUE)
		return rc;
	if (o.json && o.ids)
		return msg_usage_for(ctx->err, "list", "list: --json and --ids are two forms of the list: give one");
	if (connector_file_ids(dir, &ids, &n) != 0) {
		struct store_error err;

		store_perm_open_error(errno, dir, "connectors folder", true, &err);
		msg_error(ctx->err, "list: %s", err.message);
		return AZ_EXIT_ERROR;
	}
	/* A folder others can write in refuses every file in it: said once, not once a file. */
	char why[FIELD_MSG_MAX];
	if (n > 0 && !connector_file_dir_trusted(dir, why, sizeof(why))) {
		connector_file_free_ids(ids, n);
		msg_error(ctx->err, "list: %s", why);
		return AZ_EXIT_ERROR;
	}
	conns = calloc(n ? n : 1, sizeof(*conns));
	if (!conns) {
		connector_file_free_ids(ids, n);
		msg_error(ctx->err, "out of memory");
		return AZ_EXIT_ERROR;
	}
	/* A refused file is reported and the others are still listed (exit 1). */
	for (size_t i = 0; i < n; i++) {
		if (cmd_connector_load(ctx, "list", ids[i], &conns[loaded]) != AZ_EXIT_OK) {
			rc = AZ_EXIT_ERROR;
		} else if (!cmd_connector_withhold(ctx, "list", conns[loaded])) {
			connector_free(conns[loaded]);
			rc = AZ_EXIT_ERROR;
		} else {
			loaded++;
		}
	}
	if (o.ids) {
		/* One identifier a line, for scripts and shell completion. */
		for (size_t i = 0; i < loaded; i++) {
			cmd_connector_put(ctx->out, connector_get(conns[i], FIELD_IDENTIFIER));
			fputc('\n', ctx->out);
		}
	} else if (o.json) {
		cJSON *array = cJSON_CreateArray();
		bool whole = array != NULL;

		/* Out of memory: no list with a connector left out. */
		for (size_t i = 0; whole && i < loaded; i++)
			whole = cJSON_AddItemToArray(array, connector_file_json(conns[i]));
		if (!whole) {
			cJSON_Delete(array);
			msg_error(ctx->err, "out of memory");
			rc = AZ_EXIT_ERROR;
		} else if (json_put(ctx->out, array) != 0) {
			rc = AZ_EXIT_ERROR;
		}
	} else if (loaded == 0) {
		/* Files refused are said above: "No connectors" would hide them. */
		char prog[CLI_PROGRAM_MAX];
		if (n == 0)
			fprintf(ctx->out, "No connectors in %s: '%s new' creates one.\n", dir,
			        cli_program(ctx, false, prog, sizeof(prog)));
	} else {
		for (size_t k = 0; k < 4; k++) {
			width[k] = strlen(fields_at(cols[k])->label);
			for (size_t i = 0; i < loaded; i++) {
				const char *v = connector_value(conns[i], cols[k]);
				size_t w = v ? utf8_count(fields_choice_label(cols[k], v)) : 0;

				width[k] = w > width[k] ? w : width[k];
			}
		}
		for (size_t i = 0; i <= loaded; i++) {
			for (size_t k = 0; k < 4; k++) {
				const char *v = i ? connector_value(conns[i - 1], cols[k]) : NULL;
				const char *text = i == 0 ? fields_at(cols[k])->label :
				                   v ? fields_choice_label(cols[k], v) : "";

				cmd_connector_cell(ctx->out, text, k == 3 ? 0 : width[k] + 2);
				if (k == 3)
					fputc('\n', ctx->out);
			}
		}
	}
	for (size_t i = 0; i < loaded; i++)
		connector_free(conns[i]);
	free(conns);
	connector_file_free_ids(ids, n);
	return rc == CLI_CONTINUE ? AZ_EXIT_OK : rc;
}

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_connector_opts o = { 0 };
	struct connector *c;
	size_t width = 0;
	int rc = cmd_connector_args(ctx, argc, argv, opts, &o, 1);

	if (rc != CLI_CONTINUE)
		return rc;
	rc = cmd_connector_load(ctx, argv[0], argv[optind], &c);
	if (rc != AZ_EXIT_OK)
		return rc;
	if (!cmd_connector_withhold(ctx, "show", c)) {
		connector_free(c);
		return AZ_EXIT_ERROR;
	}
	if (o.json) {
		char *text = connector_file_text(c);

		if (text)
			fputs(text, ctx->out);
		else
			rc = AZ_EXIT_ERROR;
		free(text);
		connector_free(c);
		return rc;
	}
	for (int id = 0; id < FIELD_COUNT; id++)
		if (strlen(fields_at(id)->label) > width)
			width = strlen(fields_at(id)->label);
	for (int page = 0; page < FIELD_PAGE_COUNT; page++) {
		fprintf(ctx->out, "%s%s\n", page ? "\n" : "", fields_page_title(page));
		for (int id = 0; id < FIELD_COUNT; id++) {
			if (fields_at(id)->page != (enum field_page)page || !fields_applies(c, id))
				continue;
			fprintf(ctx->out, "  %s:", fields_at(id)->label);
			cmd_connector_cell(ctx->out, "", width - strlen(fields_at(id)->label) + 1);
			cmd_connector_print_value(ctx, c, id);
			fputc('\n', ctx->out);
		}
	}
	connector_free(c);
	return AZ_EXIT_OK;
}

void cmd_connector_print_maybe_unused(FILE *out, const char *maybe)
{
	if (*maybe)
		fprintf(out, "No connector read names %s %s now, but a connector file that is refused may (see "
		        "'list'): not offered for removal.\n", strchr(maybe, ',') ? "the secrets" : "the secret", maybe);
}

void cmd_connector_print_unused(const struct cli_ctx *ctx, const char (*ids)[IDENT_SECRET_ID_MAX + 1], size_t n,
                                const char *maybe, const struct store *store)
{
	char held[FIELD_COUNT][IDENT_SECRET_ID_MAX + 1];
	size_t k = 0;
	struct stat st;
	struct store_info info;
	bool token = false;

	cmd_connector_print_maybe_unused(ctx->out, maybe);
	/* Only those the store holds (when it was opened), none without a store. */
	bool no_store = !store && lstat(ctx->paths.store, &st) != 0 && errno == ENOENT;
	for (size_t i = 0; i < n && k < FIELD_COUNT && !no_store; i++)
		if (!store || store_find(store, ids[i], &info))
			snprintf(held[k++], sizeof(held[0]), "%s", ids[i]);
	if (k)
		fprintf(ctx->out, "No saved connector uses %s any more; %s not removed from the secret store%s. To "
		        "remove %s:\n", k == 1 ? "this secret" : "these secrets", k == 1 ? "it is" : "they are",
		        store ? "" : k == 1 ? " (if it is there)" : " (if they are there)", k == 1 ? "it" : "them");
	for (size_t i = 0; i < k; i++) {
		fputs("  ", ctx->out);
		cli_print_program(ctx, ctx->out, true);
		/* An id that looks like a token is not printed: that command removes it unnamed. */
		fprintf(ctx->out, " secret rm %s\n", ident_looks_like_token(held[i]) ? "--withheld" : held[i]);
	}
	for (size_t i = 0; i < n; i++)
		token |= ident_looks_like_token(ids[i]);
	if (token)
		fprintf(ctx->out, "A secret's id looked like a Personal Access Token: revoke that token in Azure DevOps "
		        "(User settings, Personal access tokens).\n");
	/* This run was not given the store's key file (it needed none): its path is not known here. */
	enum store_method m;
	if (k && !ctx->key_file && store_cli_method(ctx, &m) && m == STORE_METHOD_KEYFILE)
		fprintf(ctx->out, "(The store is unlocked with a key file: add --key-file F before 'secret'.)\n");
}

int cmd_delete(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "yes", no_argument, NULL, OPT_YES },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_connector_opts o = { 0 };
	const char *dir = ctx->paths.connectors_dir, *id;
	struct connector *c = NULL;
	char why[512];
	int rc = cmd_connector_args(ctx, argc, argv, opts, &o, 1);

	if (rc != CLI_CONTINUE)
		return rc;
	id = argv[optind];
	if (cmd_connector_check_id(ctx, "delete", id) != AZ_EXIT_OK)
		return AZ_EXIT_INVALID;
	/* Read only for the secret ids: a refused file can still be deleted. */
	if (connector_file_load(dir, id, &c, why, sizeof(why)) == CONNECTOR_FILE_MISSING) {
		cmd_connector_missing(ctx, "delete", id, why);
		return AZ_EXIT_ERROR;
	}
	/* ... but a folder others can write in is fixed first, as for every other command: its files may be theirs. */
	if (!connector_file_dir_trusted(dir, why, sizeof(why))) {
		msg_error(ctx->err, "delete: %s; nothing was deleted", why);
		connector_free(c);
		return AZ_EXIT_ERROR;
	}
	if (!o.yes) {
		char question[128];

		snprintf(question, sizeof(question), "Delete connector '%s'?", id);
		int yes = ctx->stdin_tty ? msg_confirm(question) : -1;
		if (yes < 0) {
			connector_free(c);
			return msg_usage_for(ctx->err, "delete", "delete: no terminal to confirm on: pass --yes "
			                     "to delete '%s' without asking", id);
		}
		if (!yes) {
			connector_free(c);
			fprintf(ctx->out, "Connector '%s' not deleted.\n", id);
			return AZ_EXIT_CANCELLED;
		}
	}
	/* Under the store's lock: an edit saving now waits, then sees the file gone (never brings it back). */
	struct store_error err;
	struct stat st;
	int lock = -1;
	if (lstat(ctx->paths.store, &st) == 0 && store_hold_lock(ctx->paths.store, &lock, &err) != STORE_OK) {
		msg_error(ctx->err, "delete: %s; nothing was deleted", err.message);
		connector_free(c);
		return store_exit_code(err.status);
	}
	int removed = connector_file_remove(dir, id);
	int e = errno;
	store_release_lock(&lock);
	if (removed == -1) {
		msg_error(ctx->err, "delete: cannot delete %s/%s.json: %s", dir, id, strerror(e));
		connector_free(c);
		return AZ_EXIT_ERROR;
	}
	fprintf(ctx->out, "Deleted connector '%s'.\n", id);
	if (removed == -2)
		msg_error(ctx->err, "delete: %s/%s.json was removed, but syncing its folder failed (%s): after "
		          "a power loss it may be back", dir, id, strerror(e));
	/* Changes to it typed in the wizard and not saved: of nothing now, nor the lock of that draft. */
	char *draft = paths_edit_draft(&ctx->paths, id), *draft_lock = draft ? paths_lock_file(draft) : NULL;
	if (draft)
		unlink(draft);
	if (draft_lock)
		unlink(draft_lock);
	free(draft_lock);
	free(draft);
	char unused[FIELD_COUNT][IDENT_SECRET_ID_MAX + 1], maybe[512];
	size_t n = secret_users_unused(ctx->paths.connectors_dir, c, unused, FIELD_COUNT, maybe, sizeof(maybe));
	/* The store looked in when that asks nothing (a key file, a credential): only the ids it holds are offered. */
	struct store *store = NULL;
	enum store_method m;
	if (n && store_cli_method(ctx, &m) && ((m == STORE_METHOD_KEYFILE && ctx->key_file) ||
	                                       (m == STORE_METHOD_CREDENTIAL && getenv("CREDENTIALS_DIRECTORY")))) {
		/* Deleted already: a store that will not open only leaves the offer unsure, said by 'secret rm'. */
		FILE *said = ctx->err, *null = fopen("/dev/null", "we");
		ctx->err = null ? null : said;
		if (store_cli_open(ctx, STORE_CLI_OPTIONAL, &store) != AZ_EXIT_OK)
			store = NULL;
		ctx->err = said;
		if (null)
			fclose(null);
	}
	cmd_connector_print_unused(ctx, unused, n, maybe, store);
	store_close(store);
	if (!c)
		fprintf(ctx->out, "Its file was refused, so the secrets it named are not known here: 'secret list' shows "
		        "those no connector uses (and revoke any token the file held).\n");
	connector_free(c);
	return removed == 0 ? AZ_EXIT_OK : AZ_EXIT_ERROR;
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_connector_opts o = { .format = EXPORT_YAML };
	struct field_error errs[FIELD_COUNT];
	struct connector *c;
	char *text;
	size_t n;
	int rc = cmd_connector_args(ctx, argc, argv, opts, &o, 1);

	/* --json as the other commands take it; with --format yaml, one of the two was not meant. */
	if (rc == CLI_CONTINUE && o.json && o.format_given && o.format != EXPORT_JSON)
		rc = msg_usage_for(ctx->err, "export", "export: --json and --format yaml ask for two formats: give one");
	if (rc != CLI_CONTINUE)
		return rc;
	if (o.json)
		o.format = EXPORT_JSON;
	rc = cmd_connector_load(ctx, "export", argv[optind], &c);
	if (rc != AZ_EXIT_OK)
		return rc;
	/* Harness would refuse what fails here: say all of it at once. */
	n = fields_validate_all(c, NULL, errs);
	if (n) {
		char prog[CLI_PROGRAM_MAX], word[CLI_WORD_MAX];

		msg_error(ctx->err, "export: connector '%s' is not valid; fix it with '%s edit %s':",
		          argv[optind], cli_program(ctx, true, prog, sizeof(prog)),
		          cli_word(argv[optind], word, sizeof(word)));
		for (size_t i = 0; i < n; i++)
			fprintf(ctx->err, "%s: %s\n", fields_at(errs[i].id)->key, errs[i].msg);
		connector_free(c);
		return AZ_EXIT_INVALID;
	}
	text = export_text(c, o.format);
	connector_free(c);
	if (!text) {
		msg_error(ctx->err, "export: out of memory");
		return AZ_EXIT_ERROR;
	}
	fputs(text, ctx->out);
	free(text);
	return AZ_EXIT_OK;
}
