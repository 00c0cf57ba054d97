/* secret list | set | rm | rekey: the encrypted store (DESIGN.md §5). Values
 * are never printed and never taken from the command line. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "azure_url.h"
#include "cmd.h"
#include "connector.h"
#include "exitcode.h"
#include "fileio.h"
#include "ident.h"
#include "json.h"
#include "msg.h"
#include "newconn.h"
#include "secret_users.h"
#include "sshkey.h"
#include "store_cli.h"
#include "store_error.h"
#include "validate.h"

enum {
	OPT_KIND = 256, OPT_FROM_FILE, OPT_GENERATE, OPT_TO_FILE, OPT_PEM, OPT_NEW_KEY_FILE, OPT_CREDENTIAL,
	OPT_RESET, OPT_YES, OPT_WITHHELD, OPT_JSON
};

struct secret_opts {
	const char *kind;
	const char *from_file;
	bool generate;
	const char *to_file;
	bool pem;
	const char *new_key_file;
	bool credential;
	bool reset, yes, withheld, json;
};

static int secret_opt(struct cli_ctx *ctx, int opt, const char *arg, void *user)
{
	struct secret_opts *o = user;

	(void)ctx;
	switch (opt) {
	case OPT_KIND:
		o->kind = arg;
		break;
	case OPT_FROM_FILE:
		o->from_file = arg;
		break;
	case OPT_GENERATE:
		o->generate = true;
		break;
	case OPT_TO_FILE:
		o->to_file = arg;
		break;
	case OPT_PEM:
		o->pem = true;
		break;
	case OPT_NEW_KEY_FILE:
		o->new_key_file = arg;
		break;
	case OPT_CREDENTIAL:
		o->credential = true;
		break;
	case OPT_RESET:
		o->reset = true;
		break;
	case OPT_YES:
		o->yes = true;
		break;
	case OPT_WITHHELD:
		o->withheld = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	default:
		break;
	}
	return CLI_CONTINUE;
}

static void secret_date(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

/*
 * An id that looks like a token (stored by a paste into the wrong place, by an
 * older release) is never printed: it may be one, in a terminal's scrollback.
 */
static const char *secret_shown_id(const char *id)
{
	return ident_looks_like_token(id) ? "(withheld)" : id;
}

static size_t secret_count_withheld(struct store *s)
{
	struct store_info info;
	size_t n = 0;

	for (size_t i = 0; store_info(s, i, &info); i++)
		n += ident_looks_like_token(info.id);
	return n;
}

static void secret_warn_withheld(struct cli_ctx *ctx, struct store *s)
{
	size_t withheld = s ? secret_count_withheld(s) : 0;
	char prog[CLI_PROGRAM_MAX];

	if (withheld)
		msg_error(ctx->err, "%zu secret id%s look%s like a Personal Access Token and %s not shown: revoke "
		          "that token, then remove the entr%s with '%s secret rm --withheld'", withheld,
		          withheld == 1 ? "" : "s", withheld == 1 ? "s" : "", withheld == 1 ? "is" : "are",
		          withheld == 1 ? "y" : "ies", cli_program(ctx, true, prog, sizeof(prog)));
}

/*
 * The connectors saved that name secret id, for list: into used, and into
 * maybe those whose file is refused as it is (it may name it). JSON arrays.
 */
static void secret_list_users_json(const struct secret_users *u, const char *id, cJSON *used, cJSON *maybe)
{
	for (size_t i = 0; i < u->n; i++)
		if (!u->c[i] || secret_users_names(u->c[i], id, NULL))
			cJSON_AddItemToArray(u->c[i] ? used : maybe, cJSON_CreateString(u->ids[i]));
}

/* The same as text: "web, api", a refused file's connector with a '?' ("web, broken?"), "-" for none. */
static void secret_list_users_text(const struct secret_users *u, const char *id, FILE *out)
{
	bool any = false;

	for (size_t i = 0; i < u->n; i++)
		if (!u->c[i] || secret_users_names(u->c[i], id, NULL)) {
			fprintf(out, "%s%s%s", any ? ", " : "", u->ids[i], u->c[i] ? "" : "?");
			any = true;
		}
	fputs(any ? "\n" : "-\n", out);
}

/* list --json: [{"id", "kind", "created", "updated", "used_by", "maybe_used_by"}, ...], [] without a store. */
static int secret_list_json(struct cli_ctx *ctx, struct store *s, const struct secret_users *u)
{
	cJSON *array = cJSON_CreateArray();
	struct store_info info;

	for (size_t i = 0; array && s && store_info(s, i, &info); i++) {
		cJSON *o = cJSON_CreateObject();
		char created[32], updated[32];

		secret_date(info.created, created);
		secret_date(info.updated, updated);
		cJSON_AddItemToArray(array, o);
		cJSON_AddStringToObject(o, "id", secret_shown_id(info.id));
		cJSON_AddStringToObject(o, "kind", store_kind_name(info.kind));
		cJSON_AddStringToObject(o, "created", created);
		cJSON_AddStringToObject(o, "updated", updated);
		cJSON *used = cJSON_AddArrayToObject(o, "used_by"), *maybe = cJSON_AddArrayToObject(o, "maybe_used_by");
		if (used && maybe)
			secret_list_users_json(u, info.id, used, maybe);
	}
	if (json_put(ctx->out, array) != 0) {
		msg_error(ctx->err, "out of memory");
		return AZ_EXIT_ERROR;
	}
	secret_warn_withheld(ctx, s);
	return AZ_EXIT_OK;
}

static int secret_list(struct cli_ctx *ctx, bool json)
{
	struct store *s;
	struct store_info info;
	struct secret_users u = { 0 };
	char prog[CLI_PROGRAM_MAX];
	int rc = store_cli_open(ctx, STORE_CLI_OPTIONAL, &s);
	int width = 2;

	/* Nothing to list: said (on stderr: a script reading stdout still reads an empty list). */
	if (rc == AZ_EXIT_OK && (!s || store_count(s) == 0) && !json)
		msg_error(ctx->err, "no secrets stored yet: '%s secret set ID' stores one (as new and edit store "
		          "those they are given)", cli_program(ctx, true, prog, sizeof(prog)));
	/* Which connectors use each secret: what a clean-up needs to know before 'secret rm'. */
	if (rc == AZ_EXIT_OK && s && store_count(s) > 0 &&
	    secret_users_load(ctx->paths.connectors_dir, &u) != 0) {
		msg_error(ctx->err, "cannot read the connectors in %s: %s", ctx->paths.connectors_dir, strerror(errno));
		rc = AZ_EXIT_ERROR;
	}
	if (rc == AZ_EXIT_OK && json)
		rc = secret_list_json(ctx, s, &u);
	if (rc != AZ_EXIT_OK || !s || json) {
		secret_users_free(&u);
		store_close(s);
		return rc;
	}
	for (size_t i = 0; store_info(s, i, &info); i++) {
		int len = (int)strlen(secret_shown_id(info.id));
		if (len > width)
			width = len;
	}
	if (store_count(s) > 0)
		fprintf(ctx->out, "%-*s  %-18s  %-20s  %-20s  %s\n", width, "ID", "KIND", "CREATED", "UPDATED",
		        "USED BY");
	for (size_t i = 0; store_info(s, i, &info); i++) {
		char created[32], updated[32];

		secret_date(info.created, created);
		secret_date(info.updated, updated);
		fprintf(ctx->out, "%-*s  %-18s  %-20s  %-20s  ", width, secret_shown_id(info.id),
		        store_kind_name(info.kind), created, updated);
		secret_list_users_text(&u, info.id, ctx->out);
	}
	secret_warn_withheld(ctx, s);
	secret_users_free(&u);
	store_close(s);
	return AZ_EXIT_OK;
}

/* The value of 'secret set': a file, stdin when it is not a terminal, or typed. */
static int secret_read_value(struct cli_ctx *ctx, const char *id, enum store_kind kind, const char *from_file,
                             struct secbuf **value)
{
	char prompt[128], msg[256];
	int rc;

	snprintf(prompt, sizeof(prompt), "Value of %s (%s, not shown): ", id, store_kind_name(kind));
	rc = store_cli_read_value(ctx, kind, from_file, prompt, "--from-file F", value, msg, sizeof(msg));
	if (rc != AZ_EXIT_OK)
		msg_error(ctx->err, "%s: %s", id, msg);
	return rc;
}

/*
 * A new secret gets an id a connector can refer to (the fields' rule, which the
 * store's own format widens); an id already stored is named by the store's rule.
 */
static int secret_check_id(struct cli_ctx *ctx, const char *id, bool is_new)
{
	char msg[256];

	/* A token given as the id: refused whatever the command, never quoted. */
	if (ident_looks_like_token(id) && !ident_check_secret_id(id, msg, sizeof(msg))) {
		msg_error(ctx->err, "not a valid secret id: %s", msg);
		return AZ_EXIT_INVALID;
	}
	if (is_new ? ident_check_secret_id(id, msg, sizeof(msg)) : store_id_valid(id))
		return AZ_EXIT_OK;
	char cut[MSG_CUT_MAX];
	const char *said = msg_cut(id, cut, sizeof(cut)); /* a file's text pasted as the id: not said back whole */
	/* A stored one's id in capitals ("Payments-token"): the one meant is in lower case. */
	char lower[STORE_ID_MAX + 1];
	if (!is_new && ident_lower(id, lower, sizeof(lower)) && !ident_looks_like_token(lower) &&
	    store_id_valid(lower)) {
		msg_error(ctx->err, "'%s' is not a valid secret id: a store id is in lower case: '%s'", said, lower);
		return AZ_EXIT_INVALID;
	}
	if (is_new)
		msg_error(ctx->err, "'%s' is not a valid secret id: %s", said, msg);
	else
		msg_error(ctx->err, "'%s' is not a valid secret id: 1 to 64 of a-z, 0-9, '.', '_', '-', "
		          "starting with a letter or digit, without '..'", said);
	return AZ_EXIT_INVALID;
}

static int secret_set(struct cli_ctx *ctx, const char *id, const struct secret_opts *o)
{
	enum store_kind kind = STORE_KIND_TOKEN;
	struct store_error err;
	struct secbuf *value = NULL;
	struct store *s;
	int rc;

	if ((rc = secret_check_id(ctx, id, true)) != AZ_EXIT_OK)
		return rc;
	if (o->kind && !store_kind_parse(o->kind, &kind))
		return msg_usage_for(ctx->err, "secret", "secret set: unknown kind '%s' (token, password, "
		                     "ssh-private-key, ssh-key-passphrase)", o->kind);
	/* A file that cannot be read is said before a passphrase is asked for nothing. */
	char why[320];
	if (o->from_file && (rc = store_cli_value_readable(o->from_file, why, sizeof(why))) != AZ_EXIT_OK) {
		msg_error(ctx->err, "%s: %s", id, why);
		return rc;
	}
	if ((rc = store_cli_open(ctx, STORE_CLI_OPTIONAL, &s)) != AZ_EXIT_OK)
		return rc;
	struct store_info had;
	bool stored = s && store_find(s, id, &had);
	/* The kind: as given, else as stored, else what the connectors naming the id need there. */
	char users[1024], refused[1024];
	enum store_kind needed = stored ? had.kind : kind;
	secret_users_of(ctx->paths.connectors_dir, id, users, sizeof(users), refused, sizeof(refused), &needed);
	if (!o->kind)
		kind = stored ? had.kind : needed;
	/* Another kind under the id a connector names: its next check would fail, far from here. */
	if (*users && kind != needed) {
		bool many = strchr(users, ',') != NULL;
		msg_error(ctx->err, "connector%s %s need%s a %s as '%s': a %s stored there would break %s; give "
		          "another id", many ? "s" : "", users, many ? "" : "s", store_kind_name(needed), id,
		          store_kind_name(kind), many ? "them" : "it");
		store_close(s);
		return AZ_EXIT_INVALID;
	}
	rc = secret_read_value(ctx, id, kind, o->from_file, &value);
	if (rc == AZ_EXIT_OK && value->len == 0) {
		msg_error(ctx->err, "the value of %s is empty", id);
		rc = AZ_EXIT_INVALID;
	}
	/* A token must read as one; a key must be one Azure takes (an encrypted one opens later, with its passphrase). */
	char msg[320];
	if (rc == AZ_EXIT_OK && kind == STORE_KIND_TOKEN && !o->kind && validate_is_private_key((const char *)value->data)) {
		/* Where a connector needs a token, --kind would only be refused next. */
		if (*users)
			msg_error(ctx->err, "%s: that is an SSH private key, and connector %s takes '%s' as a token: give "
			          "the token, or store the key under another id", id, users, id);
		else
			msg_error(ctx->err, "%s: that is an SSH private key: store it with --kind ssh-private-key", id);
		rc = AZ_EXIT_INVALID;
	}
	if (rc == AZ_EXIT_OK && kind == STORE_KIND_TOKEN && !validate_token((const char *)value->data, msg, sizeof(msg))) {
		msg_error(ctx->err, "%s: %s", id, msg);
		rc = AZ_EXIT_INVALID;
	}
	if (rc == AZ_EXIT_OK && kind == STORE_KIND_SSH_PRIVATE_KEY) {
		int k = sshkey_check(value, NULL, msg, sizeof(msg));
		if (k == -1 || k == -3) {
			msg_error(ctx->err, "%s: %s", id, msg);
			rc = AZ_EXIT_INVALID;
		}
	}
	/* A new store (and its key file) is made once there is a value to keep in it. */
	if (rc == AZ_EXIT_OK && store_value_check(kind, value, &err) != STORE_OK) {
		msg_error(ctx->err, "%s: %s", id, err.message);
		rc = AZ_EXIT_INVALID;
	}
	/* The value it has already: nothing written, and said so (a playbook run again changes nothing). */
	if (rc == AZ_EXIT_OK && stored && store_holds(s, id, kind, value)) {
		fprintf(ctx->out, "Secret %s (%s) unchanged: it holds that value already; nothing written.\n", id,
		        store_kind_name(kind));
		secbuf_free(value);
		store_close(s);
		return AZ_EXIT_OK;
	}
	if (rc == AZ_EXIT_OK && !s)
		rc = store_cli_open(ctx, STORE_CLI_CREATE, &s);
	err.written = false;
	if (rc == AZ_EXIT_OK && store_put(s, id, kind, value, &err) != STORE_OK)
		rc = store_cli_fail(ctx, &err);
	/* In place, its folder not synced: saved all the same (exit 16), and said so. */
	if (rc == AZ_EXIT_OK || err.written) {
		fprintf(ctx->out, "Saved secret %s (%s).\n", id, store_kind_name(kind));
		/* A rotation is what set is for; which connectors it reaches is said, as an edit says it. */
		if (stored && *users)
			fprintf(ctx->out, "The secret '%s' is used by connector%s %s, which now get%s the new value.\n", id,
			        strchr(users, ',') ? "s" : "", users, strchr(users, ',') ? "" : "s");
		if (kind == STORE_KIND_SSH_PRIVATE_KEY) {
			newconn_pub_forget(ctx, id, value, NULL);
			cmd_secret_print_pem_hint(ctx, ctx->err, "The key", id, value, NULL);
		}
	}
	secbuf_free(value);
	store_close(s);
	return rc;
}

void cmd_secret_print_get(const struct cli_ctx *ctx, FILE *out, const char *id, bool pem)
{
	fputs("  ", out);
	cli_print_program(ctx, out, true);
	fprintf(out, " secret get %s%s --to-file %s.pem\n", id, pem ? " --pem" : "", id);
}

void cmd_secret_ssh_user(const struct connector *c, char *buf, size_t buflen)
{
	const char *url = c ? connector_get(c, FIELD_URL) : NULL;
	struct azure_url u;
	bool parsed = url && azure_url_parse(url, &u, NULL, 0) == 0;

	snprintf(buf, buflen, "%s", parsed ? azure_url_ssh_user(&u) : "git");
	if (parsed)
		azure_url_free(&u);
}

void cmd_secret_print_pem_hint(const struct cli_ctx *ctx, FILE *out, const char *what, const char *id,
                               const struct secbuf *key, const struct connector *c)
{
	enum sshkey_form form = sshkey_form(key);
	char user[128];

	if (form == SSHKEY_FORM_PEM)
		return;
	cmd_secret_ssh_user(c, user, sizeof(user));
	fprintf(out, "%s, for a Harness SSH credential (user %s), which takes PEM only:\n", what, user);
	cmd_secret_print_get(ctx, out, id, form == SSHKEY_FORM_OTHER);
	/* A passphrase stays with the key: ssh-keygen asks for it, and writes PEM. */
	if (form == SSHKEY_FORM_ENCRYPTED)
		fprintf(out, "  ssh-keygen -p -m PEM -f %s.pem\n", id);
}

/* Is id in the store? If not, said with the id perhaps meant ("did you mean"). */
static int secret_present(struct cli_ctx *ctx, struct store *s, const char *id, struct store_info *info)
{
	const char *near;
	char prog[CLI_PROGRAM_MAX];

	if (store_find(s, id, info))
		return AZ_EXIT_OK;
	near = store_cli_id_meant(s, id, -1);
	msg_error(ctx->err, "no secret '%s' in the store%s%s%s ('%s secret list' lists them)", id,
	          near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
	          cli_program(ctx, true, prog, sizeof(prog)));
	return AZ_EXIT_STORE_NOT_FOUND;
}

/*
 * Store a new key as id, which must still be free once the lock is held: the key took its time to
 * make, and another run making one under the same id meanwhile keeps its own.
 */
static enum store_status secret_put_new(struct store *s, const char *id, const struct secbuf *priv,
                                        struct store_error *err)
{
	enum store_status st = store_begin(s, err);

	if (st != STORE_OK)
		return st;
	if (store_txn_has(s, id)) {
		store_abort(s);
		return store_fail(err, STORE_INVALID, "another run stored a secret '%s' meanwhile: this key is not "
		                  "kept; give another id", id);
	}
	if ((st = store_put(s, id, STORE_KIND_SSH_PRIVATE_KEY, priv, err)) != STORE_OK) {
		store_abort(s);
		return st;
	}
	return store_commit(s, err);
}

/* A key made by secret set --generate and stored: its public key on stdout and in <data>/<ID>.pub. */
static int secret_generate_pub(struct cli_ctx *ctx, const char *id, const char *pub, int rc)
{
	char path[4096];

	fprintf(ctx->out, "%s\n", pub);
	fflush(ctx->out);
	if (sshkey_write_pub(ctx->paths.data_dir, id, pub, path, sizeof(path)) != 0) {
		msg_error(ctx->err, "the new key is stored as '%s' and its public key printed, but %s cannot "
		          "be written: %s", id, path, strerror(errno));
		return rc != AZ_EXIT_OK ? rc : AZ_EXIT_ERROR;
	}
	fprintf(ctx->err, "Saved secret '%s' (ssh-private-key): a new RSA %d key.\n"
	        "Add its public key (%s; also in %s) in Azure DevOps:\n"
	        "User settings > SSH public keys > New Key.\n"
	        "For a Harness SSH credential (user git):\n", id, SSHKEY_GENERATE_BITS,
	        ctx->stdout_tty ? "printed above" : "on standard output", path);
	cmd_secret_print_get(ctx, ctx->err, id, false);
	return rc;
}

/*
 * secret set ID --generate: F3 without a terminal, for a fleet. A new RSA 4096
 * key stored as ID, never over a secret already stored (that key may be in
 * use); its public key on stdout, for Azure DevOps, and in <data>/<ID>.pub.
 */
static int secret_generate(struct cli_ctx *ctx, const char *id)
{
	char pub[SSHKEY_PUB_MAX], msg[256], prog[CLI_PROGRAM_MAX];
	struct store_error err;
	struct store_info had;
	struct secbuf *priv = NULL;
	struct store *s;
	int rc = secret_check_id(ctx, id, true);

	if (rc != AZ_EXIT_OK || (rc = store_cli_open(ctx, STORE_CLI_CREATE, &s)) != AZ_EXIT_OK)
		return rc;
	if (store_find(s, id, &had)) {
		msg_error(ctx->err, "'%s' is already stored (%s): a new key never replaces a secret; remove it "
		          "first ('%s secret rm %s') or give another id", id, store_kind_name(had.kind),
		          cli_program(ctx, true, prog, sizeof(prog)), id);
		rc = AZ_EXIT_INVALID;
	} else if (sshkey_generate(&priv, pub, sizeof(pub), id, msg, sizeof(msg)) != 0) {
		msg_error(ctx->err, "%s", msg);
		rc = AZ_EXIT_ERROR;
	} else {
		err.written = false;
		if (secret_put_new(s, id, priv, &err) != STORE_OK)
			rc = store_cli_fail(ctx, &err);
		/* In place, its folder not synced: stored all the same, and its public key is wanted. */
		if (rc == AZ_EXIT_OK || err.written)
			rc = secret_generate_pub(ctx, id, pub, rc);
	}
	secbuf_free(priv);
	store_close(s);
	return rc;
}

static int secret_rm(struct cli_ctx *ctx, const char *id, bool yes)
{
	struct store_error err;
	struct store *s;
	char users[1024], refused[1024], question[1300];
	int rc = secret_check_id(ctx, id, false);

	if (rc != AZ_EXIT_OK)
		return rc;
	/* A connector left naming a secret that is gone fails its next check: said before, not after. */
	enum store_kind kind = STORE_KIND_TOKEN;
	secret_users_of(ctx->paths.connectors_dir, id, users, sizeof(users), refused, sizeof(refused), &kind);
	char why[1200];
	if (*users)
		snprintf(why, sizeof(why), "'%s' is used by connector %s", id, users);
	else
		snprintf(why, sizeof(why), "the file of connector %s is refused as it is, and may name '%s'",
		         refused, id);
	if ((*users || *refused) && !yes) {
		snprintf(question, sizeof(question), "%s. Remove it anyway?", why);
		int ok = ctx->stdin_tty ? msg_confirm(question) : -1;
		if (ok < 0)
			return msg_usage_for(ctx->err, "secret", "secret rm: %s: pass --yes to remove it anyway", why);
		if (!ok) {
			fprintf(ctx->out, "Secret '%s' not removed.\n", id);
			return AZ_EXIT_CANCELLED;
		}
	}
	if ((rc = store_cli_open(ctx, STORE_CLI_EXISTING, &s)) != AZ_EXIT_OK)
		return rc;
	struct store_info info;
	bool gone = false;
	if ((rc = secret_present(ctx, s, id, &info)) == AZ_EXIT_OK) {
		err.written = false;
		if (store_delete(s, id, &err) != STORE_OK)
			rc = store_cli_fail(ctx, &err);
		/* The store without it in place, its folder not synced: gone all the same. */
		gone = rc == AZ_EXIT_OK || err.written;
	}
	if (gone)
		fprintf(ctx->out, "Removed secret %s.\n", id);
	/* A key made here (F3, --generate) left its public key beside the store: gone with it. */
	char pub[4096], prog[CLI_PROGRAM_MAX], flag[64], user[CLI_WORD_MAX];
	if (gone && info.kind == STORE_KIND_SSH_PRIVATE_KEY &&
	    sshkey_pub_path(ctx->paths.data_dir, id, pub, sizeof(pub)) && unlink(pub) == 0)
		fprintf(ctx->out, "Removed its public key file %s too (remove the key from Azure DevOps if it "
		        "was added there).\n", pub);
	/* One connector: its own edit, to be run as printed; several: each one's. */
	if (gone && *users)
		fprintf(ctx->out, "Connector %s now names a secret that is gone: give it one with '%s"
		        " secret set %s%s' (or '%s edit %s').\n", users, cli_program(ctx, true, prog, sizeof(prog)),
		        id, store_cli_kind_flag(kind, flag, sizeof(flag)), prog,
		        strchr(users, ',') ? "ID" : cli_word(users, user, sizeof(user)));
	store_close(s);
	return rc;
}

/*
 * rm --withheld: the entries 'secret list' does not show, as their ids look
 * like tokens; removed without anyone typing such an id again.
 */
static int secret_rm_withheld(struct cli_ctx *ctx, bool yes)
{
	struct store_error err;
	struct store_info info;
	struct store *s;
	int rc;

	/* No store has nothing withheld, as a store with none: a script's clean-up runs either way. */
	struct stat st;
	if (lstat(ctx->paths.store, &st) != 0 && errno == ENOENT) { /* a link to nothing is not "none" */
		fprintf(ctx->out, "There is no secret store yet: nothing removed.\n");
		return AZ_EXIT_OK;
	}
	if ((rc = store_cli_open(ctx, STORE_CLI_EXISTING, &s)) != AZ_EXIT_OK)
		return rc;
	size_t n = secret_count_withheld(s), done = 0;
	if (n == 0) {
		fprintf(ctx->out, "No secret id looks like a token: nothing removed.\n");
		store_close(s);
		return AZ_EXIT_OK;
	}
	if (!yes) {
		char question[160];
		snprintf(question, sizeof(question), "Remove the %zu secret%s whose id looks like a token?", n,
		         n == 1 ? "" : "s");
		int ok = ctx->stdin_tty ? msg_confirm(question) : -1;
		if (ok <= 0)
			store_close(s);
		if (ok < 0)
			return msg_usage_for(ctx->err, "secret", "secret rm --withheld: pass --yes to remove them");
		if (ok == 0) {
			fprintf(ctx->out, "Nothing removed.\n");
			return AZ_EXIT_CANCELLED;
		}
	}
	/* Each delete renumbers the entries: look again from the start. */
	for (bool found = true; found && rc == AZ_EXIT_OK;) {
		char id[STORE_ID_MAX + 1];

		found = false;
		for (size_t i = 0; !found && store_info(s, i, &info); i++)
			found = ident_looks_like_token(info.id);
		if (!found)
			break;
		snprintf(id, sizeof(id), "%s", info.id);
		err.written = false;
		if (store_delete(s, id, &err) != STORE_OK)
			rc = store_cli_fail(ctx, &err);
		/* In place, its folder not synced: removed all the same, the rest left for another run. */
		done += rc == AZ_EXIT_OK || err.written;
		sodium_memzero(id, sizeof(id));
	}
	if (done)
		fprintf(ctx->out, "Removed %zu secret%s whose id looked like a token.\n", done, done == 1 ? "" : "s");
	store_close(s);
	return rc;
}

/*
 * get --pem: the SSH key in *value in the PEM form Harness takes (given as it
 * is when it is one); a key with a passphrase is left to ssh-keygen, which
 * asks for it.
 */
static int secret_pem(struct cli_ctx *ctx, const char *id, const struct store_info *info, struct secbuf **value)
{
	struct secbuf *pem;
	char msg[320];
	int k;

	if (info->kind != STORE_KIND_SSH_PRIVATE_KEY) {
		msg_error(ctx->err, "'%s' is a %s: --pem is for SSH private keys", id, store_kind_name(info->kind));
		return AZ_EXIT_INVALID;
	}
	if ((k = sshkey_to_pem(*value, &pem, msg, sizeof(msg))) == -2) {
		msg_error(ctx->err, "'%s' has a passphrase, which --pem cannot keep: write it without --pem, then "
		          "convert that file with 'ssh-keygen -p -m PEM -f FILE' (it asks for the passphrase)", id);
		return AZ_EXIT_INVALID;
	}
	if (k != 0) {
		msg_error(ctx->err, "'%s': %s", id, msg);
		return AZ_EXIT_INVALID;
	}
	secbuf_free(*value);
	*value = pem;
	return AZ_EXIT_OK;
}

/*
 * secret get: a value for where it is needed outside this program, such as the
 * key F3 made, for Harness's SSH credential. Written byte for byte to a new
 * file (mode 0600) or to a pipe; never onto a terminal (the screen, its
 * scrollback) nor into a file others can read, and never through stdio's
 * buffers (plain heap memory).
 */
static int secret_get(struct cli_ctx *ctx, const char *id, const char *path, bool pem)
{
	struct store_error err;
	struct store_info info;
	struct secbuf *value = NULL;
	struct store *s;
	struct stat st;
	int rc = secret_check_id(ctx, id, false);

	if (rc != AZ_EXIT_OK)
		return rc;
	if (!path && ctx->stdout_tty)
		return msg_usage_for(ctx->err, "secret", "secret get: standard output is a terminal and a "
		                     "secret is not shown: give --to-file F (a new file, mode 0600), or pipe it");
	bool out_stat = !path && fstat(fileno(ctx->out), &st) == 0; /* st: standard output's file */
	/* '> F' made F with the shell's umask: often readable by all. */
	if (out_stat && S_ISREG(st.st_mode) && (st.st_mode & 077))
		return msg_usage_for(ctx->err, "secret", "secret get: standard output is a file others can read "
		                     "(mode %04o): give --to-file F instead (a new file, mode 0600)",
		                     (unsigned)(st.st_mode & 07777));
	/* Its owner reads it whatever its mode: a file of another user's is theirs (root reads all anyway). */
	if (out_stat && S_ISREG(st.st_mode) && st.st_uid != geteuid() && st.st_uid != 0)
		return msg_usage_for(ctx->err, "secret", "secret get: standard output is a file of another user "
		                     "(uid %u), who can read it: give --to-file F instead (a new file, mode 0600)",
		                     (unsigned)st.st_uid);
	/* A service's journal (systemd's StandardOutput) or cron's mail keeps what it is given. */
	if (out_stat && S_ISSOCK(st.st_mode))
		return msg_usage_for(ctx->err, "secret", "secret get: standard output is a socket (a service's "
		                     "journal keeps what is written there): give --to-file F, or pipe it");
	if (path && ident_looks_like_token(path)) {
		msg_error(ctx->err, "secret get --to-file: %s; nothing was written", IDENT_TOKEN_AS_PATH);
		return AZ_EXIT_INVALID;
	}
	/* Said before the passphrase is asked, and again by O_EXCL when written. */
	if (path && lstat(path, &st) == 0) {
		msg_error(ctx->err, "%s already exists and is not overwritten: give a new file name", path);
		return AZ_EXIT_ERROR;
	}
	if ((rc = store_cli_open(ctx, STORE_CLI_EXISTING, &s)) != AZ_EXIT_OK)
		return rc;
	if ((rc = secret_present(ctx, s, id, &info)) == AZ_EXIT_OK && store_get(s, id, &value, &err) != STORE_OK)
		rc = store_cli_fail(ctx, &err);
	if (rc == AZ_EXIT_OK && pem)
		rc = secret_pem(ctx, id, &info, &value);
	if (rc == AZ_EXIT_OK && path) {
		if (fileio_write_new(path, value->data, value->len, 0600) != 0) {
			msg_error(ctx->err, "cannot write %s: %s", path,
			          errno == EEXIST ? "it exists now and is not overwritten" : strerror(errno));
			rc = AZ_EXIT_ERROR;
		} else {
			fprintf(ctx->out, "Wrote secret '%s' (%s%s) to %s (mode 0600).\n", id,
			        store_kind_name(info.kind), pem ? ", PEM form" : "", path);
		}
	} else if (rc == AZ_EXIT_OK) {
		fflush(ctx->out);
		if (fileio_write_all(fileno(ctx->out), value->data, value->len) != 0) {
			msg_error(ctx->err, "cannot write the secret to standard output: %s", strerror(errno));
			rc = AZ_EXIT_ERROR;
		}
	}
	secbuf_free(value);
	store_close(s);
	return rc;
}

/* Does the key file or credential of this run open the store (asking nothing)? */
static bool secret_store_opens(const struct cli_ctx *ctx)
{
	struct store_error err;
	struct store *s = NULL;
	struct secbuf *key = NULL;
	char *cred = ctx->key_file ? NULL : store_credential_path();
	const char *file = ctx->key_file ? ctx->key_file : cred;
	bool opens = file && store_load(ctx->paths.store, &s, &err) == STORE_OK &&
	             store_method(s) != STORE_METHOD_PASSPHRASE &&
	             store_key_file_read(file, !ctx->key_file, &key, &err) == STORE_OK &&
	             store_unlock(s, key, &err) == STORE_OK;

	secbuf_free(key);
	store_close(s);
	free(cred);
	return opens;
}

/*
 * rekey --reset: a store that cannot be opened (forgotten passphrase, lost key
 * file, corrupt) is never overwritten; it is put aside, after asking, and the
 * next secret stored starts a new store. One the key given opens is not reset.
 */
static int secret_reset(struct cli_ctx *ctx, const struct secret_opts *o)
{
	const char *path = ctx->paths.store;
	struct store_error err;
	char moved[4096];

	if (o->new_key_file || o->credential)
		return msg_usage_for(ctx->err, "secret", "secret rekey --reset: the new store gets its key "
		                     "when it is made (the next 'secret set' or 'new'); leave out "
		                     "--new-key-file/--credential");
	/* A store locked with a key file, reset with none given: the key left out, not lost (a playbook's slip). */
	if (store_cli_key_at_hand(ctx) != AZ_EXIT_OK) {
		msg_error(ctx->err, "secret rekey --reset: the store is not reset; to reset it, give --key-file with "
		          "the key (or credential) file that no longer opens it, or the lost one's path");
		return AZ_EXIT_USAGE;
	}
	if (secret_store_opens(ctx))
		return msg_usage_for(ctx->err, "secret", "secret rekey --reset: the key given opens the secret "
		                     "store %s, so it is not reset (its secrets would be out of reach): to change "
		                     "its key, use 'secret rekey --new-key-file F'", path);
	if (!o->yes) {
		char question[4200];
		snprintf(question, sizeof(question), "Put the secret store %s aside and start a new, empty "
		         "one? Its secrets stay in the old file, readable only with its old key.", path);
		int yes = ctx->stdin_tty ? msg_confirm(question) : -1;
		if (yes < 0)
			return msg_usage_for(ctx->err, "secret", "secret rekey --reset: no terminal to confirm "
			                     "on: pass --yes");
		if (!yes) {
			fputs("The secret store was not reset.\n", ctx->out);
			return AZ_EXIT_CANCELLED;
		}
	}
	if (store_reset(path, moved, sizeof(moved), &err) != STORE_OK)
		return store_cli_fail(ctx, &err);
	fprintf(ctx->out, "The old secret store is now %s; the next secret stored starts a new store "
	        "(a new passphrase, or --key-file).\n", moved);
	return AZ_EXIT_OK;
}

static int secret_rekey(struct cli_ctx *ctx, const struct secret_opts *o)
{
	enum store_method method = o->credential ? STORE_METHOD_CREDENTIAL
	                           : o->new_key_file ? STORE_METHOD_KEYFILE : STORE_METHOD_PASSPHRASE;
	char *cred = NULL;
	const char *key_file = o->new_key_file;
	struct store_error err;
	struct secbuf *key = NULL;
	struct store *s;
	int rc;

	if (method == STORE_METHOD_CREDENTIAL && !key_file && !(key_file = cred = store_credential_path()))
		return msg_usage_for(ctx->err, "secret", "secret rekey --credential: give --new-key-file F "
		                     "(the key to encrypt with systemd-creds), or run it where "
		                     "$CREDENTIALS_DIRECTORY is set");
	/* Said before the store is opened: what is missing is the new key, not the old one. */
	if (method == STORE_METHOD_PASSPHRASE && !ctx->ask_secret && !secbuf_has_tty())
		return msg_usage_for(ctx->err, "secret", "secret rekey: a new passphrase is typed on a terminal, "
		                     "and there is none: give --new-key-file F (a key file) or --credential (the "
		                     "systemd credential)");
	if ((rc = store_cli_open(ctx, STORE_CLI_EXISTING, &s)) != AZ_EXIT_OK) {
		free(cred);
		return rc;
	}
	struct stat st;
	bool made = method == STORE_METHOD_KEYFILE && lstat(key_file, &st) != 0;
	rc = store_cli_new_key(ctx, method, key_file, cred != NULL, &key);
	enum store_method was = store_method(s);
	err.written = false;
	if (rc == AZ_EXIT_OK && store_rekey(s, method, key, &err) != STORE_OK) {
		rc = store_cli_fail(ctx, &err);
		/* In place, its folder not synced: the new key opens it, the old one may after a power loss. */
		if (err.written)
			msg_error(ctx->err, "keep the old %s too: until the next change of the store succeeds, a power "
			          "loss may bring back the store that opens with it",
			          was == STORE_METHOD_PASSPHRASE ? "passphrase" : was == STORE_METHOD_KEYFILE ? "key file"
			          : "credential");
		/* Made for this rekey, which did not happen: no store needs it, none should seem to. */
		else if (made && unlink(key_file) == 0)
			msg_error(ctx->err, "the key file %s made for it is removed again: the store still opens "
			          "with its old key", key_file);
	}
	if (rc == AZ_EXIT_OK || err.written) {
		if (method == STORE_METHOD_PASSPHRASE)
			fputs("The secret store now opens with the new passphrase.\n", ctx->out);
		else if (method == STORE_METHOD_KEYFILE)
			fprintf(ctx->out, "The secret store now opens with the key file %s.\n", key_file);
		else
			fprintf(ctx->out, "The secret store now opens with the systemd credential " STORE_CREDENTIAL_NAME
			        "%s%s%s.\n", cred ? "" : " (encrypt it with: systemd-creds encrypt --name="
			        STORE_CREDENTIAL_NAME " ", cred ? "" : key_file,
			        cred ? "" : " /etc/credstore.encrypted/" STORE_CREDENTIAL_NAME ")");
		if (store_notice(s))
			msg_error(ctx->err, "note: %s", store_notice(s));
	}
	secbuf_free(key);
	store_close(s);
	free(cred);
	return rc;
}

void cmd_secret_usage(FILE *out)
{
	fputs("Usage: " AZ_PROGRAM " secret list [--json] |\n"
	      "       set ID [--kind K] [--from-file F | --generate] |\n"
	      "       get ID [--pem] [--to-file F] | rm ID [--yes] | rm --withheld [--yes] |\n"
	      "       rekey [--new-key-file F] [--credential] | rekey --reset [--yes]\n"
	      "Manage the encrypted secret store; values are never shown on the terminal.\n"
	      "\n"
	      "  list [--json]         ids, kinds and dates of the stored secrets, and the\n"
	      "                        connectors that use each one\n"
	      "  set ID                store a secret (--kind token|password|ssh-private-key|\n"
	      "                        ssh-key-passphrase; default: as stored, or as a\n"
	      "                        connector naming ID needs, else token): from\n"
	      "                        --from-file F, else stdin when it is not a terminal,\n"
	      "                        else typed (echo off; never an SSH key)\n"
	      "  set ID --generate     store a new SSH key (RSA 4096, as F3 in the wizard\n"
	      "                        makes); its public key is printed, to add in Azure\n"
	      "                        DevOps\n"
	      "  get ID                write a value where it is needed (such as the key F3\n"
	      "                        made, for Harness): to --to-file F, a new file of mode\n"
	      "                        0600, or to a pipe; never onto a terminal or into a\n"
	      "                        file others can read; --pem: an SSH key in the PEM\n"
	      "                        form Harness takes (BEGIN RSA PRIVATE KEY), converted\n"
	      "                        if need be\n"
	      "  rm ID                 remove a secret (one a saved connector uses: asks\n"
	      "                        first, or --yes)\n"
	      "  rm --withheld         remove the secrets whose id looks like a token, which\n"
	      "                        list shows as (withheld) (asks first, or --yes)\n"
	      "  rekey                 re-encrypt under a new passphrase (typed twice), or\n"
	      "                        with --new-key-file F a key file (made if missing), or\n"
	      "                        with --credential the systemd credential\n"
	      "  rekey --reset         put a store that cannot be opened aside (as\n"
	      "                        secrets.store.corrupt-<time>; asks first, or --yes)\n"
	      "                        and start anew with the next secret stored (one\n"
	      "                        locked with a key file: give it, or the lost one's\n"
	      "                        path, as --key-file F)\n"
	      "\n"
	      "The store opens with --key-file F (a global option), the systemd credential\n"
	      "($CREDENTIALS_DIRECTORY/azrepos-connect.key), or a passphrase typed on the\n"
	      "terminal.\n", out);
}

int cmd_secret(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "from-file", required_argument, NULL, OPT_FROM_FILE },
		{ "generate", no_argument, NULL, OPT_GENERATE },
		{ "to-file", required_argument, NULL, OPT_TO_FILE },
		{ "pem", no_argument, NULL, OPT_PEM },
		{ "new-key-file", required_argument, NULL, OPT_NEW_KEY_FILE },
		{ "credential", no_argument, NULL, OPT_CREDENTIAL },
		{ "reset", no_argument, NULL, OPT_RESET },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "withheld", no_argument, NULL, OPT_WITHHELD },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct secret_opts o = { 0 };
	int rc = cli_getopt(ctx, argc, argv, NULL, opts, secret_opt, &o);
	const char *sub;
	bool set_opts = o.kind || o.from_file || o.generate;
	bool rekey_opts = o.new_key_file || o.credential || o.reset;

	if (rc != CLI_CONTINUE)
		return rc;
	if (optind >= argc)
		return msg_usage_for(ctx->err, "secret", "secret: missing subcommand: list, set ID, get ID, "
		                     "rm ID or rekey");
	sub = argv[optind];
	int nargs = argc - optind - 1;
	bool is_set = strcmp(sub, "set") == 0, is_get = strcmp(sub, "get") == 0, is_rm = strcmp(sub, "rm") == 0;
	bool is_list = strcmp(sub, "list") == 0, is_rekey = strcmp(sub, "rekey") == 0;
	const char *stray = NULL, *belongs = NULL;

	if (!is_set && !is_get && !is_rm && !is_list && !is_rekey)
		return msg_usage_for(ctx->err, "secret", "secret: unknown subcommand '%s' (list, set ID, "
		                     "get ID, rm ID, rekey)", sub);
	if (set_opts && !is_set)
		stray = "--kind/--from-file/--generate", belongs = "set";
	else if ((o.to_file || o.pem) && !is_get)
		stray = "--to-file/--pem", belongs = "get";
	else if (rekey_opts && !is_rekey)
		stray = "--new-key-file/--credential/--reset", belongs = "rekey";
	else if (o.withheld && !is_rm)
		stray = "--withheld", belongs = "rm";
	else if (o.json && !is_list)
		stray = "--json", belongs = "list";
	if (stray)
		return msg_usage_for(ctx->err, "secret", "secret %s: %s applies to 'secret %s' only", sub, stray,
		                     belongs);
	if (o.yes && !o.reset && !is_rm)
		return msg_usage_for(ctx->err, "secret", "secret %s: --yes goes with 'rm' and 'rekey --reset' only", sub);
	if (o.withheld)
		return nargs ? msg_usage_for(ctx->err, "secret", "secret rm --withheld: takes no secret id")
		             : secret_rm_withheld(ctx, o.yes);
	bool one_id = is_set || is_get || is_rm;
	if (nargs != (one_id ? 1 : 0))
		return msg_usage_for(ctx->err, "secret", "secret %s: %s", sub,
		                     one_id ? "needs one secret id" : "takes no arguments");
	if (is_list)
		return secret_list(ctx, o.json);
	if (is_set && o.generate) {
		bool other_kind = o.kind && strcmp(o.kind, "ssh-private-key") != 0;
		if (o.from_file || other_kind)
			return msg_usage_for(ctx->err, "secret", "secret set --generate: the value is a new SSH "
			                     "private key: leave out %s%s%s", o.from_file ? "--from-file" : "",
			                     o.from_file && other_kind ? " and " : "", other_kind ? "--kind" : "");
		return secret_generate(ctx, argv[optind + 1]);
	}
	if (is_set)
		return secret_set(ctx, argv[optind + 1], &o);
	if (is_get)
		return secret_get(ctx, argv[optind + 1], o.to_file, o.pem);
	if (is_rm)
		return secret_rm(ctx, argv[optind + 1], o.yes);
	return o.reset ? secret_reset(ctx, &o) : secret_rekey(ctx, &o);
}
