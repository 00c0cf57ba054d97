/* The wizard's flow: its state, the frame of every page, and the key loop. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <sodium.h>

#include "azure_url.h"
#include "cmd.h"
#include "connector.h"
#include "connector_file.h"
#include "exitcode.h"
#include "fileio.h"
#include "ident.h"
#include "msg.h"
#include "pathcomp.h"
#include "sshkey.h"
#include "store.h"
#include "store_cli.h"
#include "term.h"
#include "utf8.h"
#include "wizard_int.h"

/* How long typing pauses before the field's message shows. */
#define WIZARD_PAUSE_MS 1000

static const char *const wizard_steps[WIZARD_PAGES] = {
	"Overview", "Details", "Credentials", "Delegates", "Review", "Test",
};

size_t wizard_items(const struct wizard *w, enum field_page page, struct wizard_item items[FIELD_COUNT * 2])
{
	size_t n = 0;

	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);

		if (f->page != page || !fields_applies(w->c, id))
			continue;
		items[n++] = (struct wizard_item){ id, false };
		if (f->kind == FIELD_SECRET)
			items[n++] = (struct wizard_item){ id, true };
	}
	return n;
}

/* Does the API token share the HTTP token (nothing typed for it, and HTTP)? */
bool wizard_api_shared(const struct wizard *w, enum field_id id)
{
	return id == FIELD_API_TOKEN && !*input_text(&w->in[id]) && !*input_text(&w->sid[id]) &&
	       fields_applies(w->c, FIELD_TOKEN);
}

const char *wizard_secret_id(const struct wizard *w, enum field_id id, char *buf, size_t buflen)
{
	const char *d;

	if (*input_text(&w->sid[id]))
		return input_text(&w->sid[id]);
	if (wizard_api_shared(w, id))
		return wizard_secret_id(w, FIELD_TOKEN, buf, buflen);
	/* As newconn_validate completes it: a value typed gets its own id, else the default. */
	if (*input_text(&w->in[id]) || !(d = fields_default(w->c, id, buf, buflen))) {
		fields_secret_id(w->c, id, buf, buflen);
		d = buf;
	}
	return d;
}

/* Is v a token and nothing else (pasted where a key or its file goes)? */
static bool wizard_is_token(const char *v)
{
	size_t len = 0;

	return ident_token_run(v, &len) == v && len == strlen(v);
}

bool wizard_key_file(const struct wizard *w, enum field_id id)
{
	const char *v = input_text(&w->in[id]);

	/*
	 * A file name is one line; anything else is key text, which must never show as a name. A token
	 * pasted there is no file either: never looked up (a path in a system call is in audit logs).
	 */
	return id == FIELD_SSH_KEY && *v && strncmp(v, "-----", 5) != 0 && !strchr(v, '\n') && !wizard_is_token(v);
}

bool wizard_url_credentials(enum field_id id, const char *v)
{
	return v && (id == FIELD_URL || strstr(v, "://")) && azure_url_has_credentials(v);
}

bool wizard_home_path(const char *v, char *path, size_t pathlen)
{
	int n = v[0] == '~' && v[1] == '/' && getenv("HOME") ? snprintf(path, pathlen, "%s%s", getenv("HOME"), v + 1)
	                                                     : snprintf(path, pathlen, "%s", v);

	/* Cut, it would name another file: none. */
	if (n < 0 || (size_t)n >= pathlen) {
		*path = '\0';
		return false;
	}
	return true;
}

bool wizard_is_file(const char *v)
{
	char path[WIZARD_TEXT_MAX + 64];
	struct stat st;
	bool file = wizard_home_path(v, path, sizeof(path)) && stat(path, &st) == 0 && S_ISREG(st.st_mode);

	sodium_memzero(path, sizeof(path)); /* v may be a passphrase pasted one field too high */
	return file;
}

/*
 * v as a shell reads it, when it has a shell's quoting: between matching quotes (*quotes, when
 * given), or with '\' escapes. false when it has none.
 */
static bool wizard_shell_unquote(const char *v, char *out, size_t outlen, bool *quotes)
{
	size_t len = strlen(v), n = 0;
	bool quoted = len > 2 && (v[0] == '\'' || v[0] == '"') && v[len - 1] == v[0];

	if (quotes)
		*quotes = quoted;
	if (quoted) {
		snprintf(out, outlen, "%.*s", (int)(len - 2), v + 1);
		return true;
	}
	if (!strchr(v, '\\') || outlen == 0)
		return false;
	for (const char *p = v; *p && n + 1 < outlen; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = '\0';
	return true;
}

bool wizard_unquoted_file(const char *v, char *out, size_t outlen, bool *quotes)
{
	return wizard_shell_unquote(v, out, outlen, quotes) && wizard_is_file(out);
}

bool wizard_path_typed(const char *v)
{
	return v[0] == '/' || strncmp(v, "~/", 2) == 0 || strncmp(v, "./", 2) == 0 || strncmp(v, "../", 3) == 0;
}

bool wizard_key_path_shown(const struct wizard *w, enum field_id id)
{
	const char *v = input_text(&w->in[id]);
	char plain[WIZARD_TEXT_MAX + 1];

	if (!wizard_key_file(w, id))
		return false;
	/* A line that is no path (a passphrase pasted one field too high) stays masked, and unquoted. */
	if (wizard_path_typed(v))
		return true;
	bool shown = wizard_is_file(v) || wizard_unquoted_file(v, plain, sizeof(plain), NULL);
	sodium_memzero(plain, sizeof(plain));
	return shown;
}

int wizard_complete_path(struct input *in, char *msg, size_t msglen)
{
	char out[WIZARD_TEXT_MAX + 1], names[400];
	const char *v = input_text(in), *slash = strrchr(v, '/'), *part = slash ? slash + 1 : v;
	int n = pathcomp_complete(v, out, sizeof(out), names, sizeof(names)), dirlen = (int)(part - v);

	if (n < 0 && (errno == ENOENT || errno == ENOTDIR))
		snprintf(msg, msglen, "Tab: there is no folder '%.*s'", dirlen, v);
	else if (n < 0)
		snprintf(msg, msglen, "Tab: cannot read the folder '%.*s': %s", dirlen ? dirlen : 1, dirlen ? v : ".",
		         strerror(errno));
	else if (n == 0)
		snprintf(msg, msglen, "Tab: no file%s%.*s%s there", *part ? " starts with '" : "", (int)(msglen / 2),
		         part, *part ? "'" : "");
	else if (strcmp(out, v) != 0)
		input_set(in, out, strlen(out)); /* as a shell's first Tab: what is added says enough */
	else if (n > 1)
		snprintf(msg, msglen, "%d names match (type more, then Tab): %s", n, names);
	return n;
}

static bool wizard_secret_msg(struct wizard *w, enum field_id id, char *msg, size_t msglen)
{
	const struct field *f = fields_at(id);
	const char *v = input_text(&w->in[id]);

	/* Before what the key makes of it: a passphrase missing a character is wrong for that reason. */
	if (w->lost[id] && *v) {
		snprintf(msg, msglen, WIZARD_LOST_MSG);
		return false;
	}
	/* What wizard_key_refresh found; nothing while it is out of date (being typed). */
	if ((id == FIELD_SSH_KEY || id == FIELD_SSH_KEY_PASSPHRASE) && !w->key_stale) {
		if (*w->key_msg && w->key_msg_pass == (id == FIELD_SSH_KEY_PASSPHRASE)) {
			snprintf(msg, msglen, "%s", w->key_msg);
			return false;
		}
	}
	if (!*v) {
		const char *sid = input_text(&w->sid[id]);
		struct stat st;

		/* A stored secret named where no store is yet: known now, not only once the test opens it. */
		if (*sid && !w->store && !wizard_api_shared(w, id) && lstat(w->ctx->paths.store, &st) != 0 &&
		    errno == ENOENT) {
			snprintf(msg, msglen, "there is no secret store yet, so no secret '%s' in it: %s", sid,
			         id == FIELD_SSH_KEY ? "give the key here (its file's path, or paste it), or F3 makes one"
			                             : "give the value here");
			return false;
		}
		if (!f->required || *sid || wizard_api_shared(w, id))
			return true;
		snprintf(msg, msglen, id == FIELD_SSH_KEY
		         ? "required: the path of the private key file (e.g. ~/.ssh/id_rsa), or paste the "
		           "key, or F3 makes one; or the store id of a key already stored (F4)"
		         : "required: paste the token here (it is kept encrypted), or give the store id of a "
		           "secret already stored");
		return false;
	}
	return id == FIELD_SSH_KEY || newconn_secret_ok(id, w->in[id].buf, msg, msglen);
}

const char *wizard_item_help(const struct wizard *w, struct wizard_item it)
{
	return it.sid ? "The id the secret is kept under in the encrypted store; the connector names it. "
	                "F4 lists the secrets already stored, to use one of them."
	              : fields_help(w->c, it.id);
}

const char *wizard_choice_value(const struct wizard *w, enum field_id id, char *buf, size_t buflen)
{
	const char *v = connector_get(w->c, id);

	return v ? v : fields_default(w->c, id, buf, buflen);
}

/*
 * A new value under a store id the store has (known once it is open: F4, a test run): said on the
 * page, not only after the next test. Not in an edit, whose new values replace what their ids hold.
 */
static bool wizard_sid_taken(struct wizard *w, enum field_id id, char *msg, size_t msglen)
{
	char def[128];
	struct store_info had;
	const char *sid;

	if (!w->store || w->start->editing || !*input_text(&w->in[id]) || wizard_api_shared(w, id))
		return false;
	sid = wizard_secret_id(w, id, def, sizeof(def));
	/* The very value stored there is no clash (a file's path is not the key it holds: said). */
	if (!store_find(w->store, sid, &had) || store_holds(w->store, sid, fields_at(id)->store_kind, w->in[id].buf))
		return false;
	snprintf(msg, msglen, "the store already has a secret '%s': give the value above another store id, "
	         "or leave that value empty to use the stored one", sid);
	return true;
}

/* A field's message, as the core words it for both ways in. */
static bool wizard_item_msg_core(struct wizard *w, struct wizard_item it, char *msg, size_t msglen)
{
	const struct field *f = fields_at(it.id);
	char def[256];

	*msg = '\0';
	if (it.sid) {
		const char *t = input_text(&w->sid[it.id]);
		if (*t && !fields_validate(w->c, it.id, t, &w->env, msg, msglen))
			return false;
		return !wizard_sid_taken(w, it.id, msg, msglen);
	}
	if (f->kind == FIELD_SECRET)
		return wizard_secret_msg(w, it.id, msg, msglen);
	const char *v = f->kind == FIELD_CHOICE || f->kind == FIELD_TOGGLE
	                ? wizard_choice_value(w, it.id, def, sizeof(def)) : connector_get(w->c, it.id);
	/* A choice not made yet: named by what the screen shows, with the keys that make it. */
	if (f->kind == FIELD_CHOICE && f->required && (!v || !*v)) {
		char list[256];
		const char *why, *hint = fields_pointed_choice(w->c, it.id, &why);
		if (hint)
			snprintf(msg, msglen, "required: %s: choose %s (Space or Left/Right)", why,
			         fields_choice_label(it.id, hint));
		else
			snprintf(msg, msglen, "required: choose one of: %s (Space or Left/Right)",
			         fields_choices_text(it.id, true, ", ", list, sizeof(list)));
		return false;
	}
	/* The URL is on another page: what API access asks of it is said here too, as it is turned on. */
	const char *url = connector_get(w->c, FIELD_URL);
	char why[FIELD_MSG_MAX];
	if (it.id == FIELD_API_ACCESS && v && strcmp(v, "true") == 0 && url && !azure_url_api_ok(url, why, sizeof(why))) {
		snprintf(msg, msglen, "the URL (Details): %s", why);
		return false;
	}
	return fields_validate(w->c, it.id, v, &w->env, msg, msglen);
}

bool wizard_item_msg(struct wizard *w, struct wizard_item it, char *msg, size_t msglen)
{
	bool ok = wizard_item_msg_core(w, it, msg, msglen);

	/* What a script would give, " (--connection ssh)", is left out: here the fields are the way. */
	for (char *p = msg, *end; (p = strstr(p, " (--")) != NULL && (end = strchr(p, ')')) != NULL;)
		memmove(p, end + 1, strlen(end + 1) + 1);
	return ok;
}

bool wizard_page_ok(struct wizard *w, enum field_page page, int *first)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n = wizard_items(w, page, items);
	char msg[FIELD_MSG_MAX];

	for (size_t i = 0; i < n; i++)
		if (!wizard_item_msg(w, items[i], msg, sizeof(msg))) {
			*first = (int)i;
			return false;
		}
	return true;
}

bool wizard_ident_own(const struct wizard *w)
{
	char buf[256];
	const char *id = connector_get(w->c, FIELD_IDENTIFIER);
	const char *d = fields_default(w->c, FIELD_IDENTIFIER, buf, sizeof(buf));

	return id && !(d && strcmp(id, d) == 0);
}

/* As in Harness, the identifier follows the name until it is typed. */
static void wizard_follow_name(struct wizard *w)
{
	char buf[256];
	const char *d = fields_default(w->c, FIELD_IDENTIFIER, buf, sizeof(buf));

	input_set(&w->in[FIELD_IDENTIFIER], d ? d : "", d ? strlen(d) : 0);
	connector_put(w->c, FIELD_IDENTIFIER, d);
}

void wizard_ident_refill(struct wizard *w)
{
	if (!w->start->editing && !*input_text(&w->in[FIELD_IDENTIFIER]))
		wizard_follow_name(w);
}

void wizard_key_hash(const struct wizard *w, unsigned char out[32])
{
	const struct secbuf *k = w->in[FIELD_SSH_KEY].buf;

	crypto_generichash(out, 32, k->data, k->len, NULL, 0);
}

bool wizard_key_made_here(const struct wizard *w)
{
	unsigned char h[32];

	wizard_key_hash(w, h);
	return sodium_memcmp(h, w->pub_of, sizeof(h)) == 0;
}

bool wizard_drop_made_key(struct wizard *w)
{
	if (!*w->pub_path)
		return false;
	/* The saved key's public key (an edit's F3 wrote over it) is that key's again. */
	bool removed = w->pub_was ? fileio_write_atomic(w->pub_path, w->pub_was, strlen(w->pub_was), NULL, NULL) == 0
	                          : unlink(w->pub_path) == 0;
	free(w->pub_was);
	w->pub_was = NULL;
	term_forget_plain();
	return removed;
}

bool wizard_made_key_may_go(struct wizard *w, const char *question)
{
	char q[256];

	snprintf(q, sizeof(q), "%s It is lost then: if its public key is in Azure DevOps already, remove it there.",
	         question);
	if (dialog_confirm(w, "Key made with F3", q))
		return true;
	snprintf(w->status, sizeof(w->status), "the SSH key made with F3 is kept as it was");
	return false;
}

void wizard_changed(struct wizard *w, enum field_id id)
{
	char msg[FIELD_MSG_MAX];

	w->dirty = true;
	w->undrafted = true;
	if (fields_at(id)->kind == FIELD_SECRET) {
		connector_put(w->c, id, *input_text(&w->sid[id]) ? input_text(&w->sid[id]) : NULL);
		/* Emptied (Ctrl-U, F4): what is typed from now on is all there is. */
		if (!*input_text(&w->in[id]))
			w->lost[id] = false;
		if (id == FIELD_SSH_KEY || id == FIELD_SSH_KEY_PASSPHRASE)
			w->key_stale = true;
		/* Another key in place of one made with F3: its public key file (and the draft's note) would mislead. */
		if (id == FIELD_SSH_KEY && *w->pub_id && !wizard_key_made_here(w)) {
			wizard_drop_made_key(w);
			w->pub_path[0] = '\0';
			w->pub_id[0] = '\0';
		}
		return;
	}
	/* The secret scope that was the scope's follows a new one, as an edit's --scope moves it. */
	char was[32] = "";
	if (id == FIELD_SCOPE && connector_get(w->c, FIELD_SECRET_SCOPE) &&
	    connector_is(w->c, FIELD_SECRET_SCOPE, connector_value(w->c, FIELD_SCOPE)))
		snprintf(was, sizeof(was), "%s", connector_value(w->c, FIELD_SCOPE));
	/* A value the model refuses (not one of the choices) stays in the editor and shows its message. */
	if (!fields_set(w->c, id, input_text(&w->in[id]), msg, sizeof(msg)))
		connector_put(w->c, id, NULL);
	if (*was && connector_get(w->c, FIELD_SCOPE) && !connector_is(w->c, FIELD_SCOPE, was) &&
	    wizard_model_show(w, FIELD_SECRET_SCOPE, connector_get(w->c, FIELD_SCOPE)) == 0)
		wizard_changed(w, FIELD_SECRET_SCOPE);
	if (id == FIELD_IDENTIFIER)
		w->ident_typed = *input_text(&w->in[id]) != '\0';
	if (id == FIELD_NAME && !w->ident_typed)
		wizard_follow_name(w);
}

/* Where v has a space the screen does not show, at an end (a path pasted with one): 1 its start, 2 its end. */
static int wizard_space_ends(const char *v)
{
	size_t len = strlen(v);

	return (len && (v[0] == ' ' || v[0] == '\t') ? 1 : 0) |
	       (len && (v[len - 1] == ' ' || v[len - 1] == '\t') ? 2 : 0);
}

/* Does v name a file once the spaces at its ends go? Then the space is the one thing to fix. */
static bool wizard_trimmed_file(const char *v)
{
	char plain[WIZARD_TEXT_MAX + 1];
	size_t lead = strspn(v, " \t"), len = strlen(v);

	while (len > lead && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	snprintf(plain, sizeof(plain), "%.*s", (int)(len - lead), v + lead);
	bool file = wizard_is_file(plain);
	sodium_memzero(plain, sizeof(plain)); /* v may be a secret */
	return file;
}

struct secbuf *wizard_secret_value(struct wizard *w, enum field_id id, char *msg, size_t msglen)
{
	const char *v = input_text(&w->in[id]);
	const struct secbuf *b = w->in[id].buf;
	char path[WIZARD_TEXT_MAX + 64];

	*msg = '\0';
	if (!*v)
		return NULL;
	/* Never quoted: the message shows under the field, and the field is masked for it. */
	static const char token_msg[] = "that looks like a Personal Access Token (not shown), not an SSH "
	                                "private key or its file: a token goes in the Personal Access Token field";
	/* A token alone is no file name either (wizard_key_file): said without looking it up. */
	if (id == FIELD_SSH_KEY && wizard_is_token(v)) {
		snprintf(msg, msglen, "%s", token_msg);
		return NULL;
	}
	/* A key is pasted ("-----BEGIN ...") or named by its file; the file is read, never kept. */
	if (!wizard_key_file(w, id))
		return secbuf_dup(b->data, b->len);
	struct secbuf *key = NULL;
	if (wizard_home_path(v, path, sizeof(path)))
		key = secbuf_read_file(path, STORE_VALUE_MAX, false);
	else
		errno = ENAMETOOLONG;
	if (key)
		return key;
	/* The path as a shell command had it ('/root/my key', /root/my\ key): the file it names said. */
	char plain[WIZARD_TEXT_MAX + 1];
	bool quotes;
	int err = errno;
	if (err == ENOENT && wizard_unquoted_file(v, plain, sizeof(plain), &quotes)) {
		snprintf(msg, msglen, "remove the %s: they are a shell's, and the file is %s",
		         quotes ? "quotes" : "'\\' escapes", plain);
		return NULL;
	}
	static const char *const ends_said[] = { "", "starts with a space", "ends with a space",
	                                         "starts and ends with a space" };
	int space = wizard_space_ends(v);
	const char *ends = ends_said[space], *spaces = space == 3 ? "spaces" : "space";
	bool near = space && err == ENOENT && wizard_trimmed_file(v);
	errno = err;
	/* "ssh-rsa AAAA..." given as the key is one line too: say what it is. */
	const char *what = errno != EFBIG ? sshkey_misgiven(v) : NULL;
	if (what)
		snprintf(msg, msglen, "that is %s", what);
	else if (ident_looks_like_token(v))
		snprintf(msg, msglen, "%s", token_msg);
	else if (!wizard_key_path_shown(w, id) && near)
		snprintf(msg, msglen, "no file of that name: it %s, and names a file without it (not shown: it "
		         "may be a secret): remove the %s", ends, spaces);
	else if (!wizard_key_path_shown(w, id))
		snprintf(msg, msglen, "no file of that name (not shown: it may be a secret): give the key file's "
		         "path from / or ./, or paste the key");
	/* Quoted, the space at an end shows; and it is named, as a quote is easily read past. */
	else if (near)
		snprintf(msg, msglen, "no file '%s' (it %s): remove the %s, the file is there without it",
		         *path ? path : v, ends, spaces);
	else
		snprintf(msg, msglen, "cannot read %s%s%s%s%s%s: %s", space ? "'" : "", *path ? path : v, space ? "'" : "",
		         space ? " (it " : "", ends, space ? ")" : "",
		         err == EFBIG ? "larger than a private key can be" : strerror(err));
	return NULL;
}

void wizard_key_refresh(struct wizard *w)
{
	struct secbuf *key, *pass = NULL;
	char msg[FIELD_MSG_MAX];

	if (!w->key_stale)
		return;
	w->key_msg[0] = '\0';
	w->key_msg_pass = false;
	w->key_plain = false;
	w->key_stale = false;
	if (!fields_applies(w->c, FIELD_SSH_KEY))
		return;
	key = wizard_secret_value(w, FIELD_SSH_KEY, w->key_msg, sizeof(w->key_msg));
	if (!key)
		return;
	pass = wizard_secret_value(w, FIELD_SSH_KEY_PASSPHRASE, msg, sizeof(msg));
	int rc = sshkey_check(key, pass, w->key_msg, sizeof(w->key_msg));
	w->key_plain = rc == 0 && !pass;
	/* A passphrase kept in the store is only known at the test: whether it opens the key is said there. */
	if (!pass && *input_text(&w->sid[FIELD_SSH_KEY_PASSPHRASE]) && rc == -2) {
		w->key_msg[0] = '\0';
	} else if (rc == -2) {
		char word[CLI_WORD_MAX], path[WIZARD_TEXT_MAX + 64];
		/* The key's file named (one shown: a path typed; "~/" as a quoted word would not take it), else a place for it. */
		const char *file = wizard_key_file(w, FIELD_SSH_KEY) && wizard_key_path_shown(w, FIELD_SSH_KEY) &&
		                   wizard_home_path(input_text(&w->in[FIELD_SSH_KEY]), path, sizeof(path))
		                   ? cli_word(path, word, sizeof(word)) : "KEYFILE";
		w->key_msg_pass = true;
		if (pass)
			snprintf(w->key_msg, sizeof(w->key_msg), "this passphrase does not open the key: type it again "
			         "(F2 shows it), or " NEWCONN_PASSPHRASE_CHECK, file);
		else
			snprintf(w->key_msg, sizeof(w->key_msg), "the key needs its passphrase: paste or type it here");
	}
	newconn_key_advice(true, w->key_msg, sizeof(w->key_msg));
	secbuf_free(pass);
	secbuf_free(key);
}

void wizard_goto(struct wizard *w, int page)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n;

	if (w->page < FIELD_PAGE_COUNT) {
		wizard_draft_save(w);
		n = wizard_items(w, w->page, items);
		if (w->focus >= 0 && (size_t)w->focus < n) {
			w->left[w->page] = items[w->focus];
			w->left_set[w->page] = true;
		}
	}
	w->page = page;
	w->focus = 0;
	/* Back on a page: at the field it was left at (Esc from the next one), while that one applies. */
	n = page < FIELD_PAGE_COUNT && w->left_set[page] ? wizard_items(w, page, items) : 0;
	for (size_t i = 0; i < n; i++)
		if (items[i].id == w->left[page].id && items[i].sid == w->left[page].sid)
			w->focus = (int)i;
	w->scroll = 0;
	w->show_secrets = false; /* shown on one page for a look, masked again on the next */
	w->refusing = REFUSING_NONE;
}

int wizard_page_to_fix(struct wizard *w, int page, int *first)
{
	wizard_key_refresh(w);
	for (int p = 0; p < page && p < FIELD_PAGE_COUNT; p++)
		if (!wizard_page_ok(w, p, first)) {
			w->tried[p] = true;
			snprintf(w->status, sizeof(w->status), "%s: something to fix before %s", fields_page_title(p),
			         page == WIZARD_REVIEW ? "the review" : wizard_steps[page]);
			return p;
		}
	return page;
}

void wizard_take_messages(struct wizard *w)
{
	const char *prefix = AZ_PROGRAM ": ";
	size_t end, start;

	fflush(w->errf);
	if (!w->errbuf || w->errlen == w->errshown)
		return;
	end = w->errlen;
	while (end > w->errshown && w->errbuf[end - 1] == '\n')
		end--;
	start = end;
	while (start > w->errshown && w->errbuf[start - 1] != '\n')
		start--;
	if (end - start > strlen(prefix) && strncmp(w->errbuf + start, prefix, strlen(prefix)) == 0)
		start += strlen(prefix);
	snprintf(w->status, sizeof(w->status), "%.*s", (int)(end - start), w->errbuf + start);
	w->errshown = w->errlen;
}

int wizard_edit_key(struct input *in, int type, wint_t ch, const struct secbuf *paste, bool multiline)
{
	enum input_op op;

	if (type == TERM_KEY_PASTE)
		return input_insert(in, (const char *)paste->data, paste->len, multiline);
	if (type == TERM_KEY_CHAR && ch >= 32 && ch != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st = { 0 };
		size_t len = wcrtomb(mb, (wchar_t)ch, &st);
		int r = len != (size_t)-1 && input_insert(in, mb, len, false);
		sodium_memzero(mb, sizeof(mb)); /* a character of a secret, maybe */
		return r;
	}
	if (type == TERM_KEY_CHAR) {
		switch (ch) {
		case 127: case 8: op = INPUT_BACKSPACE; break;
		case 1: op = INPUT_HOME; break;
		case 5: op = INPUT_END; break;
		case 21: op = INPUT_KILL_START; break;
		case 11: op = INPUT_KILL_END; break;
		case 23: op = INPUT_KILL_WORD; break;
		default: return -1;
		}
	} else if (type == TERM_KEY_CODE) {
		switch (ch) {
		case KEY_BACKSPACE: op = INPUT_BACKSPACE; break;
		case KEY_DC: op = INPUT_DELETE; break;
		case KEY_LEFT: op = INPUT_LEFT; break;
		case KEY_RIGHT: op = INPUT_RIGHT; break;
		case KEY_HOME: op = INPUT_HOME; break;
		case KEY_END: op = INPUT_END; break;
		default: return -1;
		}
	} else
		return -1;
	return input_op(in, op);
}

/* The next line of text in width columns ("\n" ends one): its length in *cut; returns where the
 * following line starts. */
static const char *wizard_wrap_line(const char *text, int width, size_t *cut)
{
	size_t len = strlen(text), cols = 0, at = 0;
	mbstate_t st = { 0 };

	*cut = len;
	/* Up to width columns or a newline, cut at the last space (or '/') when the line is longer. */
	while (at < len) {
		wchar_t wc;
		if (text[at] == '\n') {
			*cut = at;
			break;
		}
		size_t k = mbrtowc(&wc, text + at, len - at, &st);
		int wcols = 1;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			k = 1;
			memset(&st, 0, sizeof(st));
		} else if (wcwidth(wc) >= 0) {
			wcols = wcwidth(wc); /* CJK takes two columns, a combining mark none */
		}
		if (cols + (size_t)wcols > (size_t)width) {
			*cut = at;
			break;
		}
		at += k;
		cols += (size_t)wcols;
	}
	if (*cut < len && text[*cut] != '\n') {
		size_t sp = *cut;
		while (sp > 0 && text[sp] != ' ')
			sp--;
		/* One long word, a URL: after its last '/' if that keeps half the line. */
		size_t sl = *cut;
		while (sl > *cut / 2 && text[sl - 1] != '/')
			sl--;
		if (sp > 0)
			*cut = sp;
		else if (sl > *cut / 2)
			*cut = sl;
	}
	text += *cut;
	if (*text == '\n')
		return text + 1;
	while (*text == ' ')
		text++;
	return text;
}

/* Where wizard_wrap is, row after row. */
struct wizard_wrap_at {
	int lead;     /* the indent of the line's rows after its first; -1 at a line's start */
	int col;      /* the row's first column */
	bool command; /* the line is a command (indented, under a line that ends in ':') */
	bool quoted;  /* the command is inside '...' at the row's start */
	bool cont;    /* the row is to end in " \" */
	char last;    /* the last character of the line before */
};

/*
 * A command's first n bytes read as a shell reads them (cli_word quotes with '...', and an
 * embedded quote as '\''): is it inside '...' after them, when it was at text (quoted)? Its
 * last space outside quotes at or before n, in *space (0: none).
 */
static bool wizard_wrap_scan(const char *text, size_t n, bool quoted, size_t *space)
{
	*space = 0;
	for (size_t i = 0; i <= n && text[i]; i++) {
		if (text[i] == ' ' && !quoted)
			*space = i;
		if (i == n)
			break;
		if (text[i] == '\\' && !quoted && text[i + 1] && i + 1 < n)
			i++; /* the byte after a backslash is taken as it is (\') */
		else if (text[i] == '\'')
			quoted = !quoted;
	}
	return quoted;
}

/*
 * The next row of text in width columns: its length in *cut. A line that starts with spaces
 * keeps them as the indent of its rows after the first. One under a line ending in ':' is a
 * command to copy: it is cut at spaces outside quotes, each row but its last ending in " \".
 */
static const char *wizard_wrap_row(const char *text, int width, struct wizard_wrap_at *at, size_t *cut)
{
	if (at->lead < 0) {
		size_t n = strspn(text, " ");
		at->lead = n < (size_t)width / 2 ? (int)n : 0;
		at->col = 0;
		at->command = at->lead > 0 && at->last == ':';
		at->quoted = false;
	} else {
		at->col = at->lead;
	}
	const char *next = wizard_wrap_line(text, width - at->col, cut);
	at->cont = false;
	/*
	 * (A word longer than the row is cut where the row ends, without " \": the screen's margin
	 * would come between its parts. The whole command is printed again on the plain terminal.)
	 */
	size_t sp;
	if (at->command && text[*cut] != '\n' && text[*cut] && width - at->col > 2) {
		size_t room;
		wizard_wrap_line(text, width - at->col - 2, &room);
		wizard_wrap_scan(text, room, at->quoted, &sp);
		/* Past the indent of the line's first row (the rows after it start at a word). */
		if (sp > (size_t)(at->col ? 0 : at->lead)) {
			*cut = sp;
			next = text + sp;
			while (*next == ' ')
				next++;
			at->cont = true;
		}
	}
	if (at->command)
		at->quoted = wizard_wrap_scan(text, (size_t)(next - text), at->quoted, &sp);
	if (text[*cut] == '\n' || !text[*cut]) {
		at->lead = -1;
		at->last = *cut > 0 ? text[*cut - 1] : '\0';
	}
	return next;
}

int wizard_wrap(int y, int x, int width, int max_rows, const char *text, attr_t attr)
{
	int rows = 0, end = x + width;
	struct wizard_wrap_at at = { .lead = -1 };

	attron(attr);
	for (size_t cut; *text && rows < max_rows; rows++) {
		const char *next = wizard_wrap_row(text, width, &at, &cut);
		mvaddnstr(y + rows, x + at.col, text, (int)cut);
		if (at.cont)
			addstr(" \\");
		/* Where the row's text ends (a full row moves the cursor on to the next). */
		end = getcury(stdscr) == y + rows ? getcurx(stdscr) : x + width;
		text = next;
	}
	/* Never cut silently: a text that goes on says so after its last row's words, or in its last cell. */
	if (*text && rows > 0)
		mvaddstr(y + rows - 1, end + 2 <= x + width ? end + 1 : x + width - 1, term_more());
	attroff(attr);
	return rows;
}

int wizard_wrap_rows(int width, int max_rows, const char *text)
{
	int rows = 0;
	struct wizard_wrap_at at = { .lead = -1 };

	for (size_t cut; *text && rows < max_rows; rows++)
		text = wizard_wrap_row(text, width, &at, &cut);
	return rows;
}

int wizard_status_rows(const struct wizard *w)
{
	/*
	 * Eight at most (a page keeps nine rows): a store's failure names a command to copy, with its
	 * paths (--home, --key-file) and the store's, whole.
	 */
	int rows = *w->status ? wizard_wrap_rows(COLS - 2, 8, w->status) : 1;

	return rows > 1 ? rows : 1;
}

void wizard_frame(struct wizard *w, const char *keys, int *top, int *bottom)
{
	const char *sep = term_ascii() ? " > " : " › ";
	int x = 1;

	erase();
	attron(term_style(TERM_TITLE));
	mvhline(0, 0, ' ', COLS);
	const char *dry = w->start->dry_run ? " (dry run: nothing is written)" : "";
	if (w->start->editing) {
		char title[512];
		wizard_title_quoted(title, sizeof(title), AZ_PROGRAM " - edit the connector ", w->start->editing, dry,
		                    COLS - 2);
		mvaddnstr(0, 1, title, -1);
	} else {
		mvaddstr(0, 1, AZ_PROGRAM " - new Azure Repos connector");
		addstr(dry);
	}
	attroff(term_style(TERM_TITLE));
	for (int p = 0; p < WIZARD_PAGES; p++) {
		if (p)
			mvaddstr(1, x, sep), x += 3;
		attr_t a = p == w->page ? term_style(TERM_FOCUS) : p < w->page ? term_style(TERM_PLAIN)
		                                                                : term_style(TERM_DIM);
		attron(a);
		mvaddstr(1, x, wizard_steps[p]);
		attroff(a);
		x += (int)strlen(wizard_steps[p]);
	}
	if (term_ascii())
		mvhline(2, 0, '-', COLS);
	else
		mvhline_set(2, 0, WACS_HLINE, COLS);
	if (*w->status) {
		ident_redact_tokens(w->status); /* as every message said: see msg.c */
		int rows = wizard_status_rows(w);
		wizard_wrap(LINES - 1 - rows, 1, COLS - 2, rows, w->status, term_style(TERM_ERROR));
	} else if (*w->busy) {
		mvaddnstr(LINES - 2, 1, w->busy, COLS - 2);
	}
	attron(term_style(TERM_KEY));
	mvhline(LINES - 1, 0, ' ', COLS);
	mvaddnstr(LINES - 1, 1, keys, COLS - 2);
	attroff(term_style(TERM_KEY));
	*top = 4;
	/* A status of two rows takes one from the pages, not from the help (wizard_help_y). */
	*bottom = wizard_help_y(w) - 1;
}

int wizard_help_y(const struct wizard *w)
{
	return LINES - 2 - wizard_status_rows(w) - 1;
}

void wizard_small_notice(const char *see, const char *ctrl_c)
{
	char about[512], text[768], kept[128] = "nothing is lost, and the keys typed meanwhile take effect then";

	if (term_held_dropped())
		snprintf(kept, sizeof(kept), "the values are kept, but of the keys typed meanwhile only the first %d "
		         "take effect then (the others were dropped)", TERM_HELD_MAX);
	snprintf(about, sizeof(about), "The terminal is too small: %dx%d is needed, this one is %dx%d.\n"
	         "Make it larger to see %s: %s.", WIZARD_COLS, WIZARD_ROWS, COLS, LINES, see, kept);
	snprintf(text, sizeof(text), "%s\n%s", about, ctrl_c);
	/* On a terminal too small for all of it, the way out first: it is what must show. */
	if (wizard_wrap_rows(COLS, LINES + 1, text) > LINES)
		snprintf(text, sizeof(text), "%s\n%s", ctrl_c, about);
	erase();
	curs_set(0);
	wizard_wrap(0, 0, COLS, LINES, text, term_style(TERM_PLAIN));
	refresh();
}

/* Once saved (or the dry run done) leaving is as Enter: the result stands. */
static bool wizard_finished(const struct wizard *w)
{
	return w->page == WIZARD_CHECK && (w->check == TEST_SAVED || w->check == TEST_PASSED);
}

bool wizard_draw(struct wizard *w)
{
	if (term_too_small()) {
		bool testing = w->page == WIZARD_CHECK && w->check == TEST_RUNNING;
		/* While the test runs, Ctrl-C stops the test (the wizard stays): said as it is. */
		/* Ctrl-C asks nothing here (no box fits): what it loses is said before. */
		const char *ctrl_c = testing ? "Ctrl-C stops the test."
		                     : !w->dirty || wizard_finished(w) ? "Ctrl-C quits."
		                     : *w->pub_path ? "Ctrl-C quits: the SSH key made with F3 is lost then."
		                     : !wizard_draft_kept(w)
		                     ? "Ctrl-C quits: the changes typed are lost then."
		                     : "Ctrl-C quits (what you typed, except secrets, stays in the draft).";
		wizard_small_notice(testing ? "the test" : "the page", ctrl_c);
		return false;
	}
	curs_set(0);
	if (w->page < FIELD_PAGE_COUNT)
		page_form_draw(w);
	else if (w->page == WIZARD_REVIEW)
		page_review_draw(w);
	else
		page_check_draw(w);
	refresh();
	return true;
}

/* Leave without saving; the draft keeps what was typed (no secrets) for the next run. */
static void wizard_leave(struct wizard *w, const char *why)
{
	size_t at;
	char both[256];

	w->quit = true;
	w->rc = AZ_EXIT_CANCELLED;
	/* Saved by another run meanwhile: the draft builds on that, else the next edit would not offer it. */
	if (w->dirty && wizard_draft_kept(w))
		wizard_rebase(w, both, sizeof(both));
	if (wizard_draft_save(w)) {
		at = (size_t)snprintf(w->done, sizeof(w->done), "%s: nothing was saved; the values typed (no "
		                      "secrets) are kept in %s for the next %s", why, w->draft,
		                      w->start->editing ? "edit of this connector" : "run");
	} else if (!w->draft_ours && w->draft && access(w->draft, F_OK) == 0) {
		/* An earlier run's draft, not taken up (n at the offer) nor written over: still offered. */
		at = (size_t)snprintf(w->done, sizeof(w->done), "%s: nothing was saved; the draft of an earlier run "
		                      "stays in %s, offered again on the next %s", why, w->draft,
		                      w->start->editing ? "edit of this connector" : "run");
	} else
		at = (size_t)snprintf(w->done, sizeof(w->done), "%s: nothing was saved", why);
	/* A key made with F3 is lost with the run: its public key would only mislead. */
	bool restored = w->pub_was != NULL;
	if (wizard_drop_made_key(w) && at < sizeof(w->done))
		snprintf(w->done + at, sizeof(w->done) - at, "; the SSH key made with F3 is gone, and %s %s (remove "
		         "that key from Azure DevOps if it was added)", w->pub_path,
		         restored ? "holds the saved key's public key again" : "with it");
}

/* Ctrl-C: leave, after asking when something was typed. */
static void wizard_cancel(struct wizard *w)
{
	if (wizard_finished(w)) {
		w->quit = true;
		return;
	}
	/* The notice too small for the page says Ctrl-C quits: no question it could not show. */
	char question[320];
	snprintf(question, sizeof(question), "%s%s", !wizard_draft_kept(w)
	         ? "Quit without saving the connector? The changes typed are lost."
	         : !wizard_draft_has_values(w)
	         ? "Quit without saving the connector? What was typed is lost: a secret is never kept in the draft."
	         : w->start->editing
	         ? "Quit without saving the changes? What you typed, except secrets, stays in the draft "
	           "for the next edit of this connector."
	         : "Quit without saving the connector? What you typed, except secrets, stays in the draft "
	           "for the next run.",
	         /* Said before it happens: the key may be in Azure DevOps already. */
	         *w->pub_path ? " The SSH key made with F3 is lost too (remove it from Azure DevOps if it "
	                        "was added)." : "");
	/* Ctrl-C again at the question is a yes: two in a row mean "quit" everywhere else too. */
	if (w->dirty && !term_too_small()) {
		enum dialog_answer a = dialog_ask(w, "Quit", question, NULL);
		if (a != DIALOG_YES && a != DIALOG_CTRL_C)
			return;
	}
	wizard_leave(w, "cancelled");
}

/*
 * The steps after a save, as commands: the connector for Harness, and a key
 * made here, which exists nowhere else, for its Harness SSH credential (that
 * one opens the store: with the key file this run had, if any); a key given
 * in a form Harness does not take, in the one it takes.
 */
static void wizard_print_next(const struct wizard *w)
{
	const char *key = connector_get(w->cc, FIELD_SSH_KEY);
	const struct secbuf *value = w->s.v.val[FIELD_SSH_KEY];
	FILE *out = w->ctx->out;
	char word[CLI_WORD_MAX];

	fputs("for Harness:\n  ", out);
	cli_print_program(w->ctx, out, false);
	fprintf(out, " export %s --format yaml\n", cli_word(connector_get(w->cc, FIELD_IDENTIFIER), word, sizeof(word)));
	if (*w->pub_path && key) {
		char user[128];
		cmd_secret_ssh_user(w->cc, user, sizeof(user));
		fprintf(out, "its SSH key, for a Harness SSH credential (user %s):\n", user);
		cmd_secret_print_get(w->ctx, out, key, false);
	} else if (key && value && w->s.fresh[FIELD_SSH_KEY]) {
		cmd_secret_print_pem_hint(w->ctx, out, "its SSH key", key, value, w->cc);
	}
}

/* What the core said while the terminal was ours, then the outcome, on the caller's streams. */
static void wizard_report(struct wizard *w)
{
	fflush(w->errf);
	/* What the screen showed ("wrong passphrase, try again") is old news: only what it did not. */
	if (w->errlen > w->errshown)
		fwrite(w->errbuf + w->errshown, 1, w->errlen - w->errshown, w->err);
	/* It may quote a server (a failed probe's message): the plain terminal must not take it as commands. */
	utf8_defang(w->done);
	if (*w->done)
		fprintf(w->rc == AZ_EXIT_OK ? w->ctx->out : w->err, "%s\n", w->done);
	/* Saved, even with its test failed (S): the steps for Harness hold. */
	if (w->check == TEST_SAVED) {
		/* Shown on the screen a moment, gone with it: the key file that locks the new store is kept. */
		if (w->ctx->key_file_made)
			fprintf(w->ctx->out, "created the key file %s for the new secret store: keep a copy apart from "
			        "the store; without it the secrets cannot be read\n", w->ctx->key_file);
		newconn_print_shared(w->ctx, w->ctx->out, w->cc, &w->s);
		wizard_print_next(w);
	}
}

/* The terminal hung up (a dropped SSH session), SIGHUP or SIGTERM: keep the draft, say so. */
static int wizard_hangup(void *arg, const char *why)
{
	struct wizard *w = arg;

	if (!wizard_finished(w))
		wizard_leave(w, why);
	wizard_report(w);
	return w->rc;
}

void wizard_title_quoted(char *out, size_t outlen, const char *before, const char *ident, const char *after,
                         int width)
{
	/* Identifiers are ASCII: a byte is a column; term_more() takes one. */
	int room = width - (int)strlen(before) - 2 - (int)strlen(after);

	if ((int)strlen(ident) > room)
		snprintf(out, outlen, "%s'%.*s%s'%s", before, room > 1 ? room - 1 : 0, ident, term_more(), after);
	else
		snprintf(out, outlen, "%s'%s'%s", before, ident, after);
}

struct input *wizard_model_input(struct wizard *w, enum field_id id)
{
	return fields_at(id)->kind == FIELD_SECRET ? &w->sid[id] : &w->in[id];
}

int wizard_model_show(struct wizard *w, enum field_id id, const char *v)
{
	char listed[WIZARD_TEXT_MAX];

	if (v && fields_at(id)->kind == FIELD_LIST)
		v = fields_human(id, v, listed, sizeof(listed));
	return input_set(wizard_model_input(w, id), v ? v : "", v ? strlen(v) : 0);
}

static int wizard_init(struct wizard *w, struct cli_ctx *ctx, struct newconn_start *start)
{
	w->draft_lock = -1; /* first: wizard_free closes it, also after a failure here */
	w->ctx = ctx;
	w->start = start;
	w->c = start->c;
	start->c = NULL;
	w->env.connectors_dir = ctx->paths.connectors_dir;
	w->env.editing = start->editing;
	w->env.program = cli_program(ctx, true, w->program, sizeof(w->program));
	if (!w->c && !(w->c = connector_new()))
		return -1;
	for (int id = 0; id < FIELD_COUNT; id++) {
		const struct field *f = fields_at(id);
		const char *v = connector_get(w->c, id);
		bool secret = f->kind == FIELD_SECRET;

		if (input_init(&w->in[id], secret ? STORE_VALUE_MAX : WIZARD_TEXT_MAX, secret) != 0 ||
		    input_init(&w->sid[id], STORE_ID_MAX, false) != 0)
			return -1;
		/* Choices start on their default, as in the Harness form. */
		if (!v && f->def && (f->kind == FIELD_CHOICE || f->kind == FIELD_TOGGLE)) {
			if (connector_put(w->c, id, f->def) != 0)
				return -1;
			v = f->def;
		}
		/* A store id that looks like a token (an older release's file) is dropped, not shown. */
		if (secret && v && ident_looks_like_token(v)) {
			if (connector_put(w->c, id, NULL) != 0)
				return -1;
			v = NULL;
			snprintf(w->status, sizeof(w->status), "the store id of %s looked like a token and is not "
			         "shown: revoke that token, then give the secret again", f->label);
		}
		/* A list as the review shows it ("a, b"), and as one would type it. */
		if (v && wizard_model_show(w, id, v) != 0)
			return -1;
	}
	/* A saved connector's identifier stays; another one follows the name unless it is its own. */
	w->ident_typed = start->editing || wizard_ident_own(w);
	/* A name from --answers or a flag gives the identifier, as a typed one does. */
	if (!w->ident_typed && connector_get(w->c, FIELD_NAME))
		wizard_follow_name(w);
	w->draft = start->editing ? paths_edit_draft(&ctx->paths, start->editing) : strdup(ctx->paths.draft);
	w->errf = open_memstream(&w->errbuf, &w->errlen);
	return w->errf && w->draft ? 0 : -1;
}

static void wizard_free(struct wizard *w)
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		input_free(&w->in[id]);
		input_free(&w->sid[id]);
	}
	conncheck_secrets_clear(&w->s.v);
	connector_free(w->cc);
	connector_free(w->c);
	connector_free(w->rebased);
	free(w->pub_was);
	store_close(w->store);
	free(w->draft);
	if (w->draft_lock >= 0)
		close(w->draft_lock);
	if (w->errf)
		fclose(w->errf);
	free(w->errbuf);
	free(w);
}

static void wizard_loop(struct wizard *w)
{
	while (!w->quit) {
		struct secbuf *paste = NULL;
		wint_t ch = 0;

		/* Work under way is drawn by the work itself; back here, it is over. */
		w->busy[0] = '\0';
		wizard_draw(w);
		/* A pause in typing shows what is wrong with the field; a key in time keeps it quiet. */
		bool typing = (w->typing || w->refusing) && w->page < FIELD_PAGE_COUNT;
		if (typing)
			term_timeout(WIZARD_PAUSE_MS);
		enum term_key k = term_getkey(&ch, &paste);
		if (typing)
			term_timeout(-1);
		if (typing && k == TERM_KEY_NONE)
			page_form_pause(w);
		if (k == TERM_KEY_NONE || (k == TERM_KEY_CODE && ch == KEY_RESIZE)) {
			secbuf_free(paste);
			continue;
		}
		if (k == TERM_KEY_CHAR && ch == 3) {
			wizard_cancel(w);
		} else if (k == TERM_KEY_CHAR && ch == 26) {
			term_suspend();
		} else if (k == TERM_KEY_CHAR && term_char_refused(ch)) {
			snprintf(w->status, sizeof(w->status), "%s", term_char_refused(ch));
			w->refusing = REFUSING_FOREIGN;
			if (w->page < FIELD_PAGE_COUNT)
				page_form_refused(w);
		} else if (k == TERM_KEY_CODE && ch == TERM_CODE_UNKNOWN) {
			const char *type = getenv("TERM");
			snprintf(w->status, sizeof(w->status), "a key this terminal type (TERM=%.40s) does not define was "
			         "ignored: Ctrl-X does what F10 does, Tab and the arrows move", type ? type : "");
		} else if (k == TERM_KEY_CODE && ch == TERM_CODE_PASTE_SPLIT) {
			snprintf(w->status, sizeof(w->status), "a paste the slow link split after its first byte (an Esc, "
			         "taken alone as Back) was not taken: paste it again where it goes");
		} else if (k == TERM_KEY_CHAR && ch == 27 && term_esc_alt()) {
			/* Not Back, then a letter typed into the page gone back to (readline's Alt-b): neither. */
			term_drop_alt();
			snprintf(w->status, sizeof(w->status), "Alt and a key (or Esc and a key at once) was ignored: "
			         "Esc alone goes back, Tab and the arrows move");
		} else if (w->page < FIELD_PAGE_COUNT) {
			page_form_key(w, k, ch, paste);
		} else if (w->page == WIZARD_REVIEW) {
			page_review_key(w, k, ch);
		} else {
			page_check_key(w, k, ch);
		}
		secbuf_free(paste);
	}
}

int wizard_run(struct cli_ctx *ctx, struct newconn_start *start)
{
	struct wizard *w = calloc(1, sizeof(*w));
	struct term_opts topts = { .ascii = start->ascii, .rows = WIZARD_ROWS, .cols = WIZARD_COLS };
	FILE *err = ctx->err;
	char msg[256];
	int rc;

	if (!w || wizard_init(w, ctx, start) != 0) {
		msg_error(err, "out of memory");
		if (w)
			wizard_free(w);
		return AZ_EXIT_ERROR;
	}
	/* No usable terminal is the same case as no terminal at all (exit status 2). */
	if (term_start(&topts, msg, sizeof(msg)) != 0) {
		msg_error(err, "%s", msg);
		wizard_free(w);
		return AZ_EXIT_USAGE;
	}
	/* While the screen is ours, messages of the core show on the status line. */
	w->err = err;
	ctx->err = w->errf;
	ctx->ask_secret = dialog_secret;
	ctx->ask_user = w;
	/* Said now, before anything is typed: the wizard's buffers are locked as they are made. */
	store_cli_lock_note(ctx, STORE_CLI_LOCK_NEED_WIZARD);
	wizard_take_messages(w);
	term_on_hangup(wizard_hangup, w);
	wizard_draft_lock(w);
	wizard_draft_resume(w);
	wizard_loop(w);
	term_on_hangup(NULL, NULL);
	term_stop();
	ctx->err = err;
	ctx->ask_secret = NULL;
	ctx->ask_user = NULL;
	wizard_report(w);
	rc = w->rc;
	wizard_free(w);
	return rc;
}
