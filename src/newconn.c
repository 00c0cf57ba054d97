/* Creating a connector, the same for `new --non-interactive` and the wizard: rules, store, saving. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "azure_url.h"
#include "connector.h"
#include "connector_file.h"
#include "exitcode.h"
#include "fileio.h"
#include "ident.h"
#include "msg.h"
#include "newconn.h"
#include "secret_users.h"
#include "sshkey.h"
#include "store_cli.h"
#include "store_perm.h"
#include "utf8.h"
#include "validate.h"

void newconn_error(struct newconn_errors *e, const char *key, const char *fmt, ...)
{
	va_list ap;
	size_t at;

	if (e->n == sizeof(e->line) / sizeof(e->line[0]))
		return;
	at = (size_t)snprintf(e->line[e->n], sizeof(e->line[0]), "%s: ", key);
	va_start(ap, fmt);
	vsnprintf(e->line[e->n] + at, sizeof(e->line[0]) - at, fmt, ap);
	va_end(ap);
	/* Cut to its line mid-character, it would make --output json invalid. */
	utf8_scrub(e->line[e->n]);
	ident_redact_tokens(e->line[e->n]);
	e->n++;
}

/*
 * A value given for a field that does not apply (test-repo with a Repository
 * URL, a key with HTTP) is a mistake to report, not something to drop quietly.
 * Defaults only ever fill fields that apply.
 */
static void newconn_check_applies(const struct connector *c, const struct newconn_secrets *s,
                                  struct newconn_errors *e)
{
	const char *url = connector_get(c, FIELD_URL);
	enum az_url_type type;
	/* No URL type yet (its error says which the URL reads as): a test repository is wrong only with a
	 * URL that reads as a repository's. */
	bool unsure = !connector_get(c, FIELD_URL_TYPE) && !(url && azure_url_type_of(url, &type) && type == AZ_URL_REPO);

	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);

		if (id == FIELD_TEST_REPO && unsure)
			continue;
		if (!fields_applies(c, id) && (connector_get(c, id) || s->v.val[id]))
			newconn_error(e, f->key, "only used with %s: leave it out", f->when);
	}
}

bool newconn_secret_ok(enum field_id id, const struct secbuf *v, char *msg, size_t msglen)
{
	/* A key file given for a token: what it is says more than its line breaks. */
	if (fields_at(id)->store_kind == STORE_KIND_TOKEN && validate_is_private_key((const char *)v->data))
		return validate_token((const char *)v->data, msg, msglen);
	if (v->len == 0 || !store_value_valid(fields_at(id)->store_kind, v->data, v->len)) {
		snprintf(msg, msglen, "%s", v->len == 0 ? "the value is empty" :
		         v->len > STORE_VALUE_MAX ? "the value is larger than 64 KiB" :
		         "a line break or NUL byte inside: give the value alone on one line");
		return false;
	}
	/* An editor's byte-order mark would go to Azure as part of the value. */
	if (v->len >= 3 && memcmp(v->data, "\xEF\xBB\xBF", 3) == 0) {
		snprintf(msg, msglen, "the value starts with a byte-order mark (saved by an editor as "
		         "\"UTF-8 with BOM\"): save it as plain UTF-8");
		return false;
	}
	return fields_at(id)->store_kind != STORE_KIND_TOKEN || validate_token((const char *)v->data, msg, msglen);
}

/*
 * A required secret given neither as a value nor by id (and not a value that
 * could not be read: reported already). The API token may be the HTTP
 * token's secret (its default): nothing more to give then.
 */
static bool newconn_missing(const struct connector *c, const struct newconn_secrets *s, int id)
{
	bool shared = id == FIELD_API_TOKEN && fields_applies(c, FIELD_TOKEN);

	return fields_at(id)->required && !s->v.val[id] && !s->named[id] && !shared && !s->unread[id];
}

/* Has e a message for the field of this key already? */
static bool newconn_has_error(const struct newconn_errors *e, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->line[i], key, len) == 0 && e->line[i][len] == ':')
			return true;
	return false;
}

/* Does the API token name the HTTP token's store id (one secret for both)? */
static bool newconn_api_shares_token(const struct connector *c)
{
	const char *aid = connector_get(c, FIELD_API_TOKEN);

	return aid && fields_applies(c, FIELD_TOKEN) && connector_is(c, FIELD_TOKEN, aid);
}

/*
 * Is secret field id one the store is opened for? Not when it does not apply,
 * or its value could not be read, was not given, or is refused (reported); nor
 * an API token without a value of its own under the HTTP token's id, when that
 * one is refused (said once, there).
 */
static bool newconn_looks_up(const struct connector *c, const struct newconn_secrets *s,
                             const struct newconn_errors *e, int id)
{
	if (id == FIELD_API_TOKEN && !s->fresh[id] && newconn_api_shares_token(c) &&
	    newconn_has_error(e, fields_at(FIELD_TOKEN)->key))
		return false;
	return fields_at(id)->kind == FIELD_SECRET && fields_applies(c, id) && !s->unread[id] &&
	       !newconn_missing(c, s, id) && !newconn_has_error(e, fields_at(id)->key);
}

bool newconn_has_new(const struct connector *c, const struct newconn_secrets *s)
{
	for (int id = 0; id < FIELD_COUNT; id++)
		if (s->fresh[id] && fields_applies(c, id))
			return true;
	return false;
}

/* The rules of secret values: present and well formed. */
static void newconn_check_secrets(const struct connector *c, struct newconn_secrets *s,
                                  struct newconn_errors *e)
{
	char msg[FIELD_MSG_MAX];

	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		const struct secbuf *v = s->v.val[id];

		/* A value refused as given (said) is not judged again, nor one taken in its place. */
		if (f->kind != FIELD_SECRET || !fields_applies(c, id) || s->unread[id])
			continue;
		if (newconn_missing(c, s, id)) {
			newconn_error(e, f->key, "required: give --%s-file F, --%s-stdin or --%s-secret ID",
			              f->key, f->key, f->key);
			continue;
		}
		/* The HTTP token's value shared by the API token (not given itself): judged once, as the token. */
		if (id == FIELD_API_TOKEN && !s->fresh[id] && s->fresh[FIELD_TOKEN])
			continue;
		if (v && !newconn_secret_ok(id, v, msg, sizeof(msg)))
			newconn_error(e, f->key, "%s%s%s", s->from[id] ? s->from[id] : "", s->from[id] ? ": " : "", msg);
	}
}

void newconn_note_short_tokens(FILE *err, const struct connector *c, const struct newconn_secrets *s)
{
	static const enum field_id tokens[] = { FIELD_TOKEN, FIELD_API_TOKEN };
	char msg[160];

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		enum field_id id = tokens[i];
		if (fields_applies(c, id) && s->fresh[id] && s->v.val[id] &&
		    validate_token_short(s->v.val[id]->len, msg, sizeof(msg)))
			msg_error(err, "note: %s: %s (not tested: --skip-test)", fields_at(id)->key, msg);
	}
}

void newconn_key_advice(bool wizard, char *msg, size_t msglen)
{
	char *advice = wizard ? strstr(msg, SSHKEY_RSA_ADVICE) : NULL;

	/* The wizard makes one itself. */
	if (advice)
		snprintf(advice, msglen - (size_t)(advice - msg), "; F3 makes one here");
}

/* The SSH key must be an RSA key that opens with its passphrase (either may come from the store). */
void newconn_check_key(const struct connector *c, const struct newconn_secrets *s, struct newconn_errors *e)
{
	char msg[FIELD_MSG_MAX];

	/* A key refused as given (empty, not one line of text) is not judged again. */
	if (!fields_applies(c, FIELD_SSH_KEY) || !s->v.val[FIELD_SSH_KEY] || newconn_has_error(e, "ssh-key"))
		return;
	const struct secbuf *pass = s->v.val[FIELD_SSH_KEY_PASSPHRASE];
	int rc = sshkey_check(s->v.val[FIELD_SSH_KEY], pass, msg, sizeof(msg));

	/* A passphrase that does not open the key is the passphrase's to fix. */
	if (rc == -2 && pass && pass->len) {
		/* A space an editor or echo left at an end is taken as part of it: said, as it is unseen. */
		unsigned char first = pass->data[0], last = pass->data[pass->len - 1];
		bool blank = first == ' ' || first == '\t' || last == ' ' || last == '\t';
		/* The key's file named when it was read from one (--ssh-key-file). */
		const char *from = s->from[FIELD_SSH_KEY];
		char word[CLI_WORD_MAX];
		if (blank)
			newconn_error(e, "ssh-key-passphrase", "this passphrase does not open the SSH key (it begins or "
			              "ends with a space or tab, taken as part of it: only a final line break is left out)");
		else
			newconn_error(e, "ssh-key-passphrase", "this passphrase does not open the SSH key: "
			              NEWCONN_PASSPHRASE_CHECK, from && strcmp(from, "standard input") != 0
			              ? cli_word(from, word, sizeof(word)) : "KEYFILE");
	}
	else if (rc != 0) {
		newconn_key_advice(s->wizard, msg, sizeof(msg));
		newconn_error(e, "ssh-key", "%s", msg);
	}
	/* A passphrase for a key that has none would be stored and never used. */
	else if (s->fresh[FIELD_SSH_KEY_PASSPHRASE] && !newconn_has_error(e, "ssh-key-passphrase") &&
	         sshkey_check(s->v.val[FIELD_SSH_KEY], NULL, msg, sizeof(msg)) == 0)
		newconn_error(e, "ssh-key-passphrase", "the SSH key has no passphrase: leave this out");
}

/*
 * A stored secret named for a field must be of its kind: a password is no token, a token no key's
 * passphrase ('secret set' refuses to change a kind a connector needs, the same rule). One the
 * saved connector names already (an older version took any text for text) only has to be text
 * for text: its edit is not refused for a field it does not change.
 * base: the connector as saved (an edit's), or NULL. program: the command line for the advice;
 * NULL in the wizard, where F4 lists the secrets.
 */
static bool newconn_kind_fits(const struct store *store, const struct connector *base, enum field_id id,
                              const char *sid, const char *program, char *msg, size_t msglen)
{
	struct store_info info;
	enum store_kind want = fields_at(id)->store_kind;
	bool had = base && connector_is(base, id, sid);
	char kind[64];

	if (!store_find(store, sid, &info) || info.kind == want ||
	    (had && (info.kind == STORE_KIND_SSH_PRIVATE_KEY) == (want == STORE_KIND_SSH_PRIVATE_KEY)))
		return true;
	if (program)
		snprintf(msg, msglen, "the stored secret '%s' is of kind %s, not %s: name one of that kind (see '%s "
		         "secret list'), or store the value as one ('%s secret set NEWID%s')", sid,
		         store_kind_name(info.kind), store_kind_name(want), program, program,
		         store_cli_kind_flag(want, kind, sizeof(kind)));
	else
		snprintf(msg, msglen, "the stored secret '%s' is of kind %s, not %s: name one of that kind (F4 lists "
		         "them), or give the value here", sid, store_kind_name(info.kind), store_kind_name(want));
	return false;
}

/*
 * An edit's value of field id that is the one saved (not given now): " (as saved in FILE, key K)"
 * for its error, so the fix is looked for in the file, not in the flags; "" otherwise.
 */
static const char *newconn_saved_note(const struct cli_ctx *ctx, const struct newconn_secrets *s,
                                      const struct connector *c, int id, char *buf, size_t buflen)
{
	const char *v = connector_get(c, id), *ident = s->base ? connector_get(s->base, FIELD_IDENTIFIER) : NULL;
	char key[64];

	*buf = '\0';
	/* The wizard shows the value on its page, where it is fixed. */
	if (s->wizard || !ident || !v || !connector_is(s->base, id, v))
		return buf;
	connector_file_key(fields_at(id), key, sizeof(key));
	snprintf(buf, buflen, " (as saved in %s/%s.json, key '%s')", ctx->paths.connectors_dir, ident, key);
	return buf;
}

/* The secret sid named for field id is not there (why: where it was looked for): the ways to give it. */
static void newconn_missing_secret(const struct cli_ctx *ctx, const struct connector *c,
                                   const struct newconn_secrets *s, struct newconn_errors *e, int id,
                                   const char *sid, const char *why, const char *wizard_way)
{
	char prog[CLI_PROGRAM_MAX], way[CLI_PROGRAM_MAX + 2 * STORE_ID_MAX + 96], saved[PATH_MAX + 96];

	char kind[64];
	snprintf(way, sizeof(way), "add it with '%s secret set %s%s' or give --%s-file F",
	         cli_program(ctx, true, prog, sizeof(prog)), sid,
	         store_cli_kind_flag(fields_at(id)->store_kind, kind, sizeof(kind)), fields_at(id)->key);
	newconn_error(e, fields_at(id)->key, "no secret '%s' %s%s: %s", sid, why,
	              newconn_saved_note(ctx, s, c, id, saved, sizeof(saved)), s->wizard ? wizard_way : way);
}

/* "in the store", and the stored id of a kind for field id perhaps meant by sid (a typo). */
static const char *newconn_in_store(const struct store *store, enum field_id id, const char *sid, char *buf,
                                    size_t buflen)
{
	const char *near = store_cli_id_meant(store, sid, (int)fields_at(id)->store_kind);

	snprintf(buf, buflen, "in the store%s%s%s", near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	return buf;
}

/* No store yet: a secret named for field id is a field's error, reported with the others. */
static void newconn_no_store(const struct cli_ctx *ctx, const struct connector *c,
                             const struct newconn_secrets *s, struct newconn_errors *e, int id)
{
	const char *sid = connector_get(c, id);

	if (sid && !s->fresh[id] && !(id == FIELD_API_TOKEN && s->v.val[id]))
		newconn_missing_secret(ctx, c, s, e, id, sid, "(there is no secret store yet)",
		                       "paste the value on the Credentials page");
}

void newconn_no_store_errors(const struct cli_ctx *ctx, const struct connector *c,
                             const struct newconn_secrets *s, struct newconn_errors *e)
{
	if (access(ctx->paths.store, F_OK) == 0 || errno != ENOENT)
		return;
	for (int id = 0; id < FIELD_COUNT; id++)
		if (newconn_looks_up(c, s, e, id))
			newconn_no_store(ctx, c, s, e, id);
}

/*
 * A new value for a store id taken: which connectors use the secret there, and the ways on (to keep this
 * value apart under a free id such as "<id>-2", to use the stored one, to replace it).
 */
static void newconn_clash(const struct cli_ctx *ctx, struct store *store, const struct newconn_secrets *s, int id,
                          const char *sid, struct newconn_errors *e)
{
	bool wizard = s->wizard;
	struct secret_users u;
	char users[512] = "", refused[512], apart[IDENT_SECRET_ID_MAX + 1] = "", used[600] = "";
	char msg[FIELD_MSG_MAX], taken[512] = "";
	bool loaded = secret_users_load(ctx->paths.connectors_dir, &u) == 0;

	if (loaded)
		secret_users_in(&u, sid, users, sizeof(users), refused, sizeof(refused), NULL);
	for (int n = 2; n < 100 && !*apart; n++) {
		char sfx[8], maybe[IDENT_SECRET_ID_MAX + 1];
		struct store_info info;
		int len = snprintf(sfx, sizeof(sfx), "-%d", n);
		snprintf(maybe, sizeof(maybe), "%.*s%s", IDENT_SECRET_ID_MAX - len, sid, sfx);
		if (!ident_check_secret_id(maybe, msg, sizeof(msg)) || store_find(store, maybe, &info))
			continue;
		/* Not stored, nor named by a connector (whose secret is gone): free. */
		if (loaded)
			secret_users_in(&u, maybe, taken, sizeof(taken), refused, sizeof(refused), NULL);
		if (!*taken)
			snprintf(apart, sizeof(apart), "%s", maybe);
	}
	if (loaded)
		secret_users_free(&u);
	if (*users)
		snprintf(used, sizeof(used), ", used by connector%s %s", strchr(users, ',') ? "s" : "", users);
	const char *key = fields_at(id)->key;
	if (wizard) {
		newconn_error(e, key, "the store already has a secret '%s'%s: give this one another store id "
		              "(Credentials page)%s%s%s, or leave the value empty to use the stored one", sid, used,
		              *apart ? ", such as '" : "", apart, *apart ? "'" : "");
		return;
	}
	char prog[CLI_PROGRAM_MAX], kind[64], use[IDENT_SECRET_ID_MAX + 192];
	/* Its id given as well (--KEY-secret with the value): only the value is to leave out. */
	if (s->named[id])
		snprintf(use, sizeof(use), "give no new value (no --%s-file or --%s-stdin)", key, key);
	else
		snprintf(use, sizeof(use), "give --%s-secret %s instead", key, sid);
	newconn_error(e, key, "the store already has a secret '%s'%s: to use it, %s; to keep this one apart, "
	              "give --%s-secret %s; to replace it%s%s%s, run '%s secret set %s%s'", sid,
	              used, use, key, *apart ? apart : "NEWID", *users ? " (" : "", users,
	              *users ? (strchr(users, ',') ? " get the new value too)" : " gets the new value too)") : "",
	              cli_program(ctx, true, prog, sizeof(prog)), sid,
	              store_cli_kind_flag(fields_at(id)->store_kind, kind, sizeof(kind)));
}

/*
 * Open the store when it is needed: to fetch the secrets named by id, or to
 * save new values. New values must not replace a secret already stored.
 */
int newconn_open_store(struct cli_ctx *ctx, bool dry_run, bool create, const struct connector *c,
                       struct newconn_secrets *s, struct store **store, struct newconn_errors *e)
{
	bool fetch = false, save = false;
	char msg[512], prog[CLI_PROGRAM_MAX];

	for (int id = 0; id < FIELD_COUNT; id++) {
		if (!newconn_looks_up(c, s, e, id))
			continue;
		save |= s->fresh[id];
		fetch |= !s->fresh[id] && connector_get(c, id) && !(id == FIELD_API_TOKEN && s->v.val[id]);
	}
	if (!fetch && !save)
		return AZ_EXIT_OK;
	/*
	 * The wizard keeps the store open between tries: the passphrase is asked once. A dry run
	 * stores nothing, but reads the store as the real run would: what it checks with, and the
	 * ids a new secret would take.
	 */
	int rc = *store ? AZ_EXIT_OK
	         : store_cli_open(ctx, save && create && !dry_run ? STORE_CLI_CREATE : STORE_CLI_OPTIONAL, store);
	/* No store to save in, nor a way to make one: said now, not after the check. */
	if (rc == AZ_EXIT_OK && !*store && save)
		rc = store_cli_can_create(ctx);
	/* A dry run makes no store, but checks what the run it tries would need. */
	if (rc != AZ_EXIT_OK && dry_run)
		msg_error(ctx->err, "the dry run stops here: the run itself would fail so");
	if (rc != AZ_EXIT_OK)
		return rc;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const char *sid = connector_get(c, id);
		struct secbuf *have = NULL;
		struct store_error err = { 0 };

		if (!sid || !newconn_looks_up(c, s, e, id))
			continue;
		if (!*store) {
			newconn_no_store(ctx, c, s, e, id);
			continue;
		}
		/* An API token read already, or given under the HTTP token's id: that one's look is enough. */
		if (id == FIELD_API_TOKEN && s->v.val[id] && (!s->fresh[id] || newconn_api_shares_token(c)))
			continue;
		/* The API token sharing the HTTP token's secret: one read of the store is enough. */
		const struct secbuf *tok = s->v.val[FIELD_TOKEN];
		if (id == FIELD_API_TOKEN && !s->fresh[id] && tok && newconn_api_shares_token(c)) {
			s->v.val[id] = secbuf_dup(tok->data, tok->len);
			continue;
		}
		enum store_status st = store_get(*store, sid, &have, &err);
		struct store_info info;
		bool found = st == STORE_OK && store_find(*store, sid, &info);
		/*
		 * The value already stored under that id: nothing to replace, no clash (an edit's rerun, or
		 * a new one's after a crash between the store's write and its file's).
		 */
		bool same = s->fresh[id] && found && secbuf_equal(have, s->v.val[id]) &&
		            info.kind == fields_at(id)->store_kind;
		if (s->fresh[id] && st == STORE_OK && !s->replace && !same)
			newconn_clash(ctx, *store, s, id, sid, e);
		/* An edit's new value replaces its id's, never a secret of another kind (a key by a token). */
		else if (s->fresh[id] && found && s->replace && !same &&
		         !newconn_kind_fits(*store, NULL, id, sid, NULL, msg, sizeof(msg)))
			newconn_error(e, fields_at(id)->key, "the stored secret '%s' is %s, and a new %s does not replace "
			              "it: give this one another store id%s%s%s", sid, store_kind_name(info.kind),
			              store_kind_name(fields_at(id)->store_kind), s->wizard ? "" : " (--",
			              s->wizard ? "" : fields_at(id)->key, s->wizard ? "" : "-secret NEWID)");
		else if (!s->fresh[id] && st == STORE_NOT_FOUND)
			newconn_missing_secret(ctx, c, s, e, id, sid, newconn_in_store(*store, id, sid, msg, sizeof(msg)),
			                       "paste the value on the Credentials page, or pick a stored secret there with F4");
		else if (!s->fresh[id] && st == STORE_OK &&
		         !newconn_kind_fits(*store, s->base, id, sid,
		                            s->wizard ? NULL : cli_program(ctx, true, prog, sizeof(prog)),
		                            msg, sizeof(msg)))
			newconn_error(e, fields_at(id)->key, "%s", msg);
		else if (!s->fresh[id] && st != STORE_OK) {
			snprintf(msg, sizeof(msg), "%s", err.message);
			msg_error(ctx->err, "%s", msg);
			secbuf_free(have);
			return store_exit_code(st);
		}
		if (same) {
			s->fresh[id] = false;
			s->reused[id] = !s->named[id] && !s->replace;
		}
		if (s->fresh[id])
			secbuf_free(have);
		else {
			secbuf_free(s->v.val[id]);
			s->v.val[id] = have;
		}
	}
	return AZ_EXIT_OK;
}

/*
 * Under the store's lock: is the connector file still what this run started from (none for a
 * new connector, the file an edit read)? Another run that saved it meanwhile wins: an exit code
 * after the error (in e for a new one, whose identifier is now taken).
 */
static int newconn_still_current(struct cli_ctx *ctx, const struct connector *c, const struct connector *base,
                                 struct newconn_errors *e)
{
	const char *id = connector_get(c, FIELD_IDENTIFIER);
	struct connector *now = NULL;
	char msg[512];
	enum connector_file_rc frc = connector_file_load(ctx->paths.connectors_dir, id, &now, msg, sizeof(msg));
	bool same;

	/* Neither there nor missing (a folder that cannot be read): not another run's doing. */
	if (frc == CONNECTOR_FILE_IO) {
		connector_free(now);
		msg_error(ctx->err, "%s; nothing was saved", msg);
		return AZ_EXIT_ERROR;
	}
	if (!base) {
		connector_free(now);
		if (frc == CONNECTOR_FILE_MISSING)
			return AZ_EXIT_OK;
		newconn_error(e, "identifier", "a connector '%s' was saved meanwhile by another run: it is kept, "
		              "this one is not saved; choose another identifier", id);
		return AZ_EXIT_INVALID;
	}
	same = frc == CONNECTOR_FILE_OK && connector_file_same(base, now);
	connector_free(now);
	if (same)
		return AZ_EXIT_OK;
	msg_error(ctx->err, "connector '%s' was %s by another run since this edit read it: nothing was saved; %s",
	          id, frc == CONNECTOR_FILE_MISSING ? "deleted" : "changed",
	          frc == CONNECTOR_FILE_MISSING ? "to have it again, make it with 'new'" : "edit it again");
	return AZ_EXIT_STORE_BUSY;
}

/*
 * Under the store's lock: are the secrets c names but this run does not store still there (not
 * removed by another run since they were read)? A file naming a missing one would not work.
 */
static int newconn_secrets_still_there(struct cli_ctx *ctx, struct store *store, const struct connector *c,
                                       const struct newconn_secrets *s)
{
	char prog[CLI_PROGRAM_MAX], kind[64];

	for (int id = 0; store && id < FIELD_COUNT; id++) {
		const char *sid = secret_users_id(c, id);
		bool storing = false;

		if (!sid || store_txn_has(store, sid))
			continue;
		/* Stored by this run: under this field, or another naming the same id (the API token). */
		for (int o = 0; o < FIELD_COUNT; o++)
			storing |= s->fresh[o] && connector_is(c, o, sid);
		if (storing)
			continue;
		msg_error(ctx->err, "secret '%s' was removed from the store by another run since this one read it: "
		          "nothing was saved; store it again ('%s secret set %s%s') or give the %s another way",
		          sid, cli_program(ctx, true, prog, sizeof(prog)), sid,
		          store_cli_kind_flag(fields_at(id)->store_kind, kind, sizeof(kind)), fields_at(id)->key);
		return AZ_EXIT_STORE_NOT_FOUND;
	}
	return AZ_EXIT_OK;
}

/* A secret as it was before this run's save: its value (NULL: not there) and its kind. */
struct newconn_before {
	struct secbuf *value;
	enum store_kind kind;
};

/*
 * The new values' ids as they were before (NULL: not there). Taken before any is replaced: the
 * API token may share the HTTP token's id.
 */
static enum store_status newconn_keep_before(struct store *store, const struct connector *c,
                                             const struct newconn_secrets *s, struct newconn_before *before,
                                             struct store_error *err)
{
	enum store_status st = STORE_OK;

	for (int id = 0; id < FIELD_COUNT && st == STORE_OK; id++)
		if (s->fresh[id] && fields_applies(c, id) &&
		    store_txn_kind(store, connector_get(c, id), &before[id].kind))
			st = store_get(store, connector_get(c, id), &before[id].value, err);
	return st;
}

/*
 * c's file could not be written after the store's commit: each id that still holds this run's
 * value (another run may have set it since) gets back what it had, or goes. False (err says why)
 * when the store keeps them.
 */
static bool newconn_undo_secrets(struct store *store, const struct connector *c, const struct newconn_secrets *s,
                                 const struct newconn_before *before, struct store_error *err)
{
	enum store_status st = store_begin(store, err);

	for (int id = 0; id < FIELD_COUNT && st == STORE_OK; id++) {
		const char *sid = connector_get(c, id);
		struct secbuf *now = NULL;

		if (!s->fresh[id] || !fields_applies(c, id) || !store_txn_has(store, sid) ||
		    (st = store_get(store, sid, &now, err)) != STORE_OK)
			continue;
		if (secbuf_equal(now, s->v.val[id]))
			st = before[id].value ? store_put(store, sid, before[id].kind, before[id].value, err)
			                      : store_delete(store, sid, err);
		secbuf_free(now);
	}
	if (st == STORE_OK)
		return store_commit(store, err) == STORE_OK;
	store_abort(store);
	return false;
}

void newconn_shared_with(const struct cli_ctx *ctx, const char *self, const char *sid, char *buf, size_t buflen)
{
	char users[1024], refused[1024];
	size_t at = 0;

	buf[0] = '\0';
	secret_users_of(ctx->paths.connectors_dir, sid, users, sizeof(users), refused, sizeof(refused), NULL);
	char *rest = NULL;
	for (char *u = strtok_r(users, ", ", &rest); u; u = strtok_r(NULL, ", ", &rest))
		if (strcmp(u, self) != 0 && at < buflen)
			at += (size_t)snprintf(buf + at, buflen - at, "%s%s", at ? ", " : "", u);
}

void newconn_print_shared(const struct cli_ctx *ctx, FILE *out, const struct connector *c,
                          const struct newconn_secrets *s)
{
	const char *self = connector_get(c, FIELD_IDENTIFIER);

	for (int id = 0; self && id < FIELD_COUNT; id++) {
		char others[1024];

		if (!(s->fresh[id] || s->reused[id]) || !fields_applies(c, id))
			continue;
		newconn_shared_with(ctx, self, connector_get(c, id), others, sizeof(others));
		if (*others && s->fresh[id] && !s->held[id])
			fprintf(out, "The secret '%s' is also used by connector %s, which now gets the new value too.\n",
			        connector_get(c, id), others);
		/* Two identifiers that make one default id ('Web$1', 'web1'): not shared unawares. */
		else if (*others && s->reused[id])
			fprintf(out, "The secret '%s' held this value already, for connector %s: this one uses it too (a new "
			        "value for either is the other's too).\n", connector_get(c, id), others);
	}
}

/* Store the fresh secret values in the transaction begun. */
static enum store_status newconn_put_secrets(struct store *store, const struct connector *c,
                                             struct newconn_secrets *s, struct store_error *err)
{
	enum store_status st = STORE_OK;

	for (int id = 0; id < FIELD_COUNT && st == STORE_OK; id++) {
		const char *sid = connector_get(c, id);
		struct store_info had;

		if (!s->fresh[id] || !fields_applies(c, id))
			continue;
		/*
		 * Free when checked, taken since (the check is not under the lock): never replaced. The same
		 * value of the same kind (a fleet's runs given one token for one id) is simply there already.
		 */
		if (!store_find(store, sid, &had) && store_txn_has(store, sid)) {
			if (!store_holds(store, sid, fields_at(id)->store_kind, s->v.val[id])) {
				snprintf(err->message, sizeof(err->message), "another process stored a secret '%s' "
				         "meanwhile; run again to choose another id", sid);
				st = STORE_BUSY;
			}
			/* Not a new value for the others: as when it was there when this run looked. */
			s->held[id] = true;
			s->reused[id] = !s->named[id] && !s->replace;
		} else {
			st = store_put(store, sid, fields_at(id)->store_kind, s->v.val[id], err);
		}
	}
	return st;
}

bool newconn_unchanged(const struct cli_ctx *ctx, const char *editing, const struct connector *c,
                       const struct newconn_secrets *s)
{
	return editing && !newconn_has_new(c, s) && connector_file_holds(ctx->paths.connectors_dir, c);
}

/* The connectors folder, and the store's and the draft's when asked; then: what follows a refusal. */
static int newconn_dirs_check(struct cli_ctx *ctx, bool store, bool draft, const char *then)
{
	const struct { bool on; const char *path, *to, *risk; } dirs[] = {
		{ store, ctx->paths.store, STORE_PERM_STORE_TO, STORE_PERM_STORE_RISK },
		{ draft, ctx->paths.draft, "keep the wizard's draft", "(others could change the draft there)" },
	};
	struct store_error err;
	char msg[FIELD_MSG_MAX];
	int rc = connector_file_dir_safe(ctx->paths.connectors_dir, msg, sizeof(msg)) ? AZ_EXIT_OK : AZ_EXIT_ERROR;

	for (size_t i = 0; rc == AZ_EXIT_OK && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *base;
		char *dir = dirs[i].on ? fileio_dir(dirs[i].path, &base) : NULL;
		enum store_status st = dir ? store_perm_dir_usable(dir, dirs[i].to, dirs[i].risk, &err) : STORE_OK;

		if (st != STORE_OK) {
			snprintf(msg, sizeof(msg), "%s", err.message);
			rc = store_exit_code(st);
		}
		free(dir);
	}
	if (rc != AZ_EXIT_OK)
		msg_error(ctx->err, "%s; %s", msg, then);
	return rc;
}

int newconn_dirs_usable(struct cli_ctx *ctx, const struct connector *c, const struct newconn_secrets *s,
                       bool dry_run)
{
	return newconn_dirs_check(ctx, newconn_has_new(c, s), false,
	                          dry_run ? "the run would save nothing (not checked)" : "nothing was saved");
}

int newconn_dirs_usable_first(struct cli_ctx *ctx)
{
	return newconn_dirs_check(ctx, true, true, "the wizard does not start (nothing typed would be kept)");
}

void newconn_pub_forget(const struct cli_ctx *ctx, const char *sid, const struct secbuf *key,
                        const struct secbuf *passphrase)
{
	char pub[PATH_MAX];

	if (sshkey_pub_forget(ctx->paths.data_dir, sid, key, passphrase, pub, sizeof(pub)))
		fprintf(ctx->err, "Removed %s: it held the public key of the SSH key replaced.\n", pub);
}

int newconn_save(struct cli_ctx *ctx, const struct connector *c, const struct connector *base,
                 struct newconn_secrets *s, struct store **made, struct newconn_errors *e)
{
	const char *dir = ctx->paths.connectors_dir;
	struct store_error err = { 0 };
	struct newconn_before before[FIELD_COUNT] = { 0 };
	char msg[512], unsynced[sizeof(err.message)] = "";
	bool any = newconn_has_new(c, s), committed = false, made_now = any && !*made;
	enum store_status st = STORE_OK;
	int rc = AZ_EXIT_OK, frc = -1, lock = -1;

	if (made_now) {
		rc = newconn_open_store(ctx, false, true, c, s, made, e);
		if (rc != AZ_EXIT_OK || e->n)
			return rc != AZ_EXIT_OK ? rc : AZ_EXIT_INVALID;
	}
	/*
	 * The store's lock covers the look at the connector file, the secrets and the file: two runs
	 * saving one connector take turns, and the second sees what the first saved. The store is
	 * written first: a crash before the file leaves secrets no connector names (listed as such),
	 * never a connector naming secrets that are not there; the wizard's draft still has the rest.
	 */
	struct store *store = *made;
	if (store && (st = store_begin(store, &err)) != STORE_OK) {
		msg_error(ctx->err, "%s; nothing was saved", err.message);
		return store_exit_code(st);
	}
	rc = newconn_still_current(ctx, c, base, e);
	if (rc == AZ_EXIT_OK)
		rc = newconn_secrets_still_there(ctx, store, c, s);
	if (rc == AZ_EXIT_OK && any) {
		if ((st = newconn_keep_before(store, c, s, before, &err)) == STORE_OK &&
		    (st = newconn_put_secrets(store, c, s, &err)) == STORE_OK)
			st = store_commit_held(store, &lock, &err);
		/* In place, its folder not synced: the file follows, and that is said after it. */
		if (st != STORE_OK && err.written) {
			snprintf(unsynced, sizeof(unsynced), "%s", err.message);
		} else if (st != STORE_OK) {
			msg_error(ctx->err, "%s; nothing was saved", err.message);
			rc = store_exit_code(st);
		}
	}
	committed = any && rc == AZ_EXIT_OK;
	if (rc == AZ_EXIT_OK) {
		frc = connector_file_save(dir, c, base != NULL, msg, sizeof(msg));
		s->saved = frc != -1;
		/* The undo takes the lock again, for a transaction of its own. */
		if (frc == -1)
			store_release_lock(&lock);
		if (frc == -1 && committed && !newconn_undo_secrets(store, c, s, before, &err))
			msg_error(ctx->err, "%s; the connector was not saved, but the secret store keeps the new "
			          "values it named (taking them back failed: %s)", msg, err.message);
		else if (frc != 0)
			msg_error(ctx->err, "%s%s%s", msg, frc == -1 ? "; nothing was saved" : "",
			          frc == -1 && made_now ? " (the secret store made for it stays, empty)" : "");
		if (frc != 0)
			rc = AZ_EXIT_ERROR;
	}
	if (*unsynced && frc != -1) {
		msg_error(ctx->err, "%s", unsynced);
		rc = rc == AZ_EXIT_OK ? store_exit_code(STORE_IO) : rc;
		size_t len = strlen(s->unsynced);
		snprintf(s->unsynced + len, sizeof(s->unsynced) - len, "%s%s", len ? "; " : "", unsynced);
	}
	/* Not committed: the transaction only held the lock, or its changes are dropped. */
	if (store && !committed)
		store_abort(store);
	store_release_lock(&lock);
	for (int id = 0; id < FIELD_COUNT; id++)
		secbuf_free(before[id].value);
	if (committed && frc != -1 && s->fresh[FIELD_SSH_KEY] && s->v.val[FIELD_SSH_KEY])
		newconn_pub_forget(ctx, connector_get(c, FIELD_SSH_KEY), s->v.val[FIELD_SSH_KEY],
		                   s->v.val[FIELD_SSH_KEY_PASSPHRASE]);
	/* An edit's secrets before that no connector names now: said after (they stay in the store). */
	if (s->saved)
		s->nunused = secret_users_unused(ctx->paths.connectors_dir, base, s->unused, FIELD_COUNT,
		                                 s->maybe_unused, sizeof(s->maybe_unused));
	return rc;
}

/*
 * An API token value of its own where the API token shares the HTTP token's secret: stored
 * there, it would change the HTTP token too. When that id is the default, or the one an edit's
 * connector had (given by flags), the API token gets an id of its own; the same id chosen for
 * two values is an error.
 */
static void newconn_api_token_apart(struct connector *c, struct newconn_secrets *s, struct newconn_errors *e)
{
	const char *aid = connector_get(c, FIELD_API_TOKEN);
	char id[STORE_ID_MAX + 1];

	if (!s->fresh[FIELD_API_TOKEN] || !fields_applies(c, FIELD_API_TOKEN) || !fields_applies(c, FIELD_TOKEN) ||
	    !aid || !connector_is(c, FIELD_TOKEN, aid))
		return;
	/* One value given for both: one secret. */
	if (s->fresh[FIELD_TOKEN] && secbuf_equal(s->v.val[FIELD_TOKEN], s->v.val[FIELD_API_TOKEN]))
		return;
	fields_secret_id(c, FIELD_API_TOKEN, id, sizeof(id));
	/* The wizard shows the id, and its review says the HTTP token gets the value too: chosen there. */
	bool chosen = s->named[FIELD_API_TOKEN] &&
	              (s->wizard || !(s->base && connector_is(s->base, FIELD_API_TOKEN, aid)));
	if (!chosen && strcmp(id, aid) != 0) {
		if (connector_put(c, FIELD_API_TOKEN, id) != 0)
			newconn_error(e, "api-token", "out of memory");
	} else if (s->fresh[FIELD_TOKEN]) {
		newconn_error(e, "api-token", "the token and the API token name the same store id '%s', with two "
		              "values: %s", aid, s->wizard ? "give the API token another store id, or the same value"
		              : "give the API token another id (--api-token-secret ID), or one value for both");
	}
}

bool newconn_validate(const struct cli_ctx *ctx, const char *editing, struct connector *c,
                      struct newconn_secrets *s, struct newconn_errors *e)
{
	if (!fields_apply_defaults(c)) {
		newconn_error(e, "connector", "out of memory");
		return false;
	}
	/* A value without a default store id (the key passphrase) gets the suggested one. */
	for (int id = 0; id < FIELD_COUNT; id++) {
		char sid[STORE_ID_MAX + 1];

		if (!s->fresh[id] || connector_get(c, id) || !fields_applies(c, id))
			continue;
		fields_secret_id(c, id, sid, sizeof(sid));
		if (connector_put(c, id, sid) != 0)
			newconn_error(e, fields_at(id)->key, "out of memory");
	}
	newconn_api_token_apart(c, s, e);
	/* An API token sharing the HTTP token's secret shares its value too. */
	if (fields_applies(c, FIELD_API_TOKEN) && !s->v.val[FIELD_API_TOKEN] && s->fresh[FIELD_TOKEN] &&
	    connector_is(c, FIELD_API_TOKEN, connector_get(c, FIELD_TOKEN)))
		s->v.val[FIELD_API_TOKEN] = secbuf_dup(s->v.val[FIELD_TOKEN]->data, s->v.val[FIELD_TOKEN]->len);
	newconn_check_applies(c, s, e);
	newconn_check_secrets(c, s, e);
	/*
	 * A new key that needs no passphrase, the connector naming a stored one: the old key's (an
	 * edit's) goes from the connector, and is said unused after the save, as any secret an edit drops.
	 */
	char kmsg[FIELD_MSG_MAX];
	const char *pass_id = connector_get(c, FIELD_SSH_KEY_PASSPHRASE);
	if (s->fresh[FIELD_SSH_KEY] && !s->fresh[FIELD_SSH_KEY_PASSPHRASE] && pass_id &&
	    fields_applies(c, FIELD_SSH_KEY) && sshkey_check(s->v.val[FIELD_SSH_KEY], NULL, kmsg, sizeof(kmsg)) == 0) {
		if (s->base && connector_is(s->base, FIELD_SSH_KEY_PASSPHRASE, pass_id)) {
			connector_put(c, FIELD_SSH_KEY_PASSPHRASE, NULL);
			s->named[FIELD_SSH_KEY_PASSPHRASE] = false;
		} else {
			/* Named on this run: as a passphrase given as a value would be, refused. */
			newconn_error(e, "ssh-key-passphrase", "the SSH key has no passphrase: leave this out");
		}
	}
	/* The key is checked now, before any passphrase prompt, unless part of it is in the store. */
	bool key_later = (s->named[FIELD_SSH_KEY] && !s->fresh[FIELD_SSH_KEY]) ||
	                 (s->named[FIELD_SSH_KEY_PASSPHRASE] && !s->fresh[FIELD_SSH_KEY_PASSPHRASE]);
	if (!key_later) {
		newconn_check_key(c, s, e);
	} else if (s->fresh[FIELD_SSH_KEY] && fields_applies(c, FIELD_SSH_KEY)) {
		/* Its passphrase in the store: what no passphrase changes (a public key, not RSA) is said now. */
		char msg[FIELD_MSG_MAX];
		int krc = sshkey_check(s->v.val[FIELD_SSH_KEY], NULL, msg, sizeof(msg));

		newconn_key_advice(s->wizard, msg, sizeof(msg));
		if (krc == -1 || krc == -3)
			newconn_error(e, "ssh-key", "%s", msg);
	}
	char prog[CLI_PROGRAM_MAX];
	struct fields_env env = { .connectors_dir = ctx->paths.connectors_dir, .editing = editing,
	                          .program = cli_program(ctx, true, prog, sizeof(prog)) };
	/* Its file, its secrets' default ids and Harness all go by it (said before "taken by another"). */
	if (editing && !connector_is(c, FIELD_IDENTIFIER, editing))
		newconn_error(e, "identifier", "a saved connector keeps its identifier ('%s'): for another "
		              "one, make a new connector (and delete this one)", editing);
	struct field_error ferr[FIELD_COUNT];
	size_t nf = fields_validate_all(c, &env, ferr);
	/* One message a field: the first (a value refused, how to give a secret) says more than "required". */
	for (size_t i = 0; i < nf; i++) {
		/* No name, no identifier made from it: the name's error is the one to fix. */
		if (ferr[i].id == FIELD_IDENTIFIER && !connector_get(c, FIELD_IDENTIFIER) && !connector_get(c, FIELD_NAME))
			continue;
		/* A secret's default store id is made from the identifier: the identifier's error is the one. */
		if (fields_at(ferr[i].id)->kind == FIELD_SECRET && !s->named[ferr[i].id] && newconn_has_error(e, "identifier"))
			continue;
		char saved[PATH_MAX + 96];
		if (!newconn_has_error(e, fields_at(ferr[i].id)->key))
			newconn_error(e, fields_at(ferr[i].id)->key, "%s%s", ferr[i].msg,
			              newconn_saved_note(ctx, s, c, ferr[i].id, saved, sizeof(saved)));
	}
	return key_later;
}

/* Is path other, or would it be once made (the same folder, the same name)? */
static bool newconn_same_file(const char *path, const char *other)
{
	const char *base, *obase;
	char *dir = fileio_dir(path, &base), *odir = other ? fileio_dir(other, &obase) : NULL;
	struct stat a, b;
	bool same = dir && odir && strcmp(base, obase) == 0 && stat(dir, &a) == 0 && stat(odir, &b) == 0 &&
	            a.st_dev == b.st_dev && a.st_ino == b.st_ino;

	free(dir);
	free(odir);
	return same;
}

/*
 * A file there already may be replaced only when it is an answers file: a JSON object of field
 * keys (not a store put aside by 'rekey --reset', nor a Harness export).
 */
static bool newconn_answers_replaceable(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	bool ok = false;

	if (fileio_read_path(path, CONNECTOR_FILE_MAX, &text, &len) == 0) {
		cJSON *j = cJSON_ParseWithLength(text, len), *item;
		ok = cJSON_IsObject(j);
		cJSON_ArrayForEach(item, j)
			ok &= connector_file_key_known(item->string);
		cJSON_Delete(j);
	}
	free(text);
	return ok;
}

bool newconn_answers_path_ok(const struct cli_ctx *ctx, const char *path, char *msg, size_t msglen)
{
	/* The program's own files: an answers file written over one would destroy it (the store's key!). */
	const struct { const char *path, *what; } own[] = {
		{ ctx->paths.store, "the secret store" },
		{ ctx->key_file, "the store's key file" },
		{ ctx->paths.known_hosts, "the known hosts file" },
		{ ctx->paths.draft, "the wizard's draft" },
	};
	const char *base;
	struct stat st, cst;
	int err = 0;

	if (!*path) {
		snprintf(msg, msglen, "an empty file name: give the file to write");
		return false;
	}
	/* Not standard output (as --answers - is standard input): that has the run's own report. */
	if (strcmp(path, "-") == 0) {
		snprintf(msg, msglen, "'-' is not standard output here (that has the run's report): give the file to "
		         "write ('./-' for a file of that name)");
		return false;
	}
	if (ident_looks_like_token(path)) {
		snprintf(msg, msglen, "%s", IDENT_TOKEN_AS_PATH);
		return false;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(msg, msglen, "%s is a folder: give a file name in it", path);
		return false;
	}
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (newconn_same_file(path, own[i].path)) {
			snprintf(msg, msglen, "%s is %s: give the answers another file name", path, own[i].what);
			return false;
		}
	char *dir = fileio_dir(path, &base);
	if (!dir)
		err = ENOMEM;
	else if (stat(dir, &st) != 0)
		err = errno;
	else if (!S_ISDIR(st.st_mode))
		err = ENOTDIR;
	else if (access(dir, W_OK | X_OK) != 0)
		err = errno;
	if (err) {
		snprintf(msg, msglen, "cannot write in the folder %s: %s", dir ? dir : path, strerror(err));
	} else if (stat(ctx->paths.connectors_dir, &cst) == 0 && cst.st_dev == st.st_dev && cst.st_ino == st.st_ino) {
		snprintf(msg, msglen, "%s is in the connectors folder, where it would be read as a connector: "
		         "give a file in another folder", path);
		err = EEXIST;
	} else if (lstat(path, &st) == 0 && !newconn_answers_replaceable(path)) {
		/* A link is never written through (it may point anywhere): said as one, a dangling one too. */
		struct stat to;
		/* /dev/stdout (redirected to a file, it links to one): not one to remove. */
		if ((stat(path, &to) == 0 && !S_ISREG(to.st_mode)) || strncmp(path, "/dev/", 5) == 0 ||
		    strncmp(path, "/proc/", 6) == 0)
			snprintf(msg, msglen, "%s is not a regular file (a device, a pipe, or a link to one): give the "
			         "name of a file to write", path);
		else
			snprintf(msg, msglen, "%s %s: give another file name, or remove it first", path,
			         S_ISLNK(st.st_mode) ? "is a symbolic link" : "exists and is not an answers file");
		err = EEXIST;
	}
	free(dir);
	return err == 0;
}

/* The values used, without secrets, as an answers file another run can replay. */
int newconn_write_answers(struct cli_ctx *ctx, const char *path, const struct connector *c)
{
	char *text = connector_file_text(c);
	/* -2: written, only its folder's fsync failed; a replay file needs no more. */
	int rc = text ? fileio_write_atomic(path, text, strlen(text), NULL, NULL) : -1;

	if (rc == -1)
		msg_error(ctx->err, "cannot write the answers file %s: %s", path, strerror(errno));
	free(text);
	return rc == -1 ? AZ_EXIT_ERROR : AZ_EXIT_OK;
}

