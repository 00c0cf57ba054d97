/* The wizard's help with secrets: F3 makes an SSH key, F4 picks a secret already stored. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "connector.h"
#include "fileio.h"
#include "ident.h"
#include "secret_users.h"
#include "sshkey.h"
#include "term.h"
#include "store_cli.h"
#include "wizard_int.h"

/* A public key line "<type> <base64> <comment>" as ssh-keygen -l names it: "SHA256:<base64> <comment>". */
static void secret_tools_pub_id(const char *pub, char *out, size_t outlen)
{
	char fp[128];
	const char *comment = strchr(pub, ' ');

	comment = comment ? strchr(comment + 1, ' ') : NULL;
	*out = '\0';
	if (!comment || !sshkey_pub_fingerprint(pub, fp, sizeof(fp)))
		return;
	snprintf(out, outlen, "%s %s", fp, comment + 1);
	/* The comment names the identifier, where a token may have been typed by mistake: not kept. */
	ident_redact_tokens(out);
}

/*
 * F3 on the SSH key: make an RSA 4096 key here. The private key goes into the
 * field (masked, stored encrypted on save); the public key is shown on the
 * plain screen, one line that copies whole, and kept in <data>/<store id>.pub
 * to paste into Azure DevOps (User settings > SSH public keys). Harness gets
 * the private key with 'secret get' (wizard_print_next says it).
 */
void secret_tools_generate_key(struct wizard *w)
{
	const struct az_paths *p = &w->ctx->paths;
	struct secbuf *priv = NULL;
	char pub[SSHKEY_PUB_MAX], msg[256], text[sizeof(pub) + sizeof(w->pub_path) + 512], sid[128];
	const char *who = connector_get(w->c, FIELD_IDENTIFIER);
	const char *saved = w->start->base ? connector_get(w->start->base, FIELD_SSH_KEY) : NULL;
	/* The id the new key would be stored under (the row's, or its default): the saved key's, replaced. */
	const char *goes_to = wizard_secret_id(w, FIELD_SSH_KEY, sid, sizeof(sid));

	/* A key given, or the saved one an edit's empty field stands for (a save replaces it): not unasked. */
	if (*input_text(&w->in[FIELD_SSH_KEY]))
		snprintf(text, sizeof(text), "Replace the SSH key given with a new RSA %d key made here?",
		         SSHKEY_GENERATE_BITS);
	else if (saved && strcmp(saved, goes_to) == 0)
		snprintf(text, sizeof(text), "Replace the stored SSH key '%.128s' with a new RSA %d key made here? "
		         "Once the connector is saved, the new key takes its place in the store.", saved,
		         SSHKEY_GENERATE_BITS);
	else
		text[0] = '\0';
	if (*text && !dialog_confirm(w, "New key", text))
		return;
	/* Shown while the key is made; the key loop clears it. */
	snprintf(w->busy, sizeof(w->busy), "making an RSA %d key...", SSHKEY_GENERATE_BITS);
	wizard_draw(w);
	if (sshkey_generate(&priv, pub, sizeof(pub), who ? who : "new", msg, sizeof(msg)) != 0) {
		snprintf(w->status, sizeof(w->status), "%s", msg);
		return;
	}
	int set = input_set(&w->in[FIELD_SSH_KEY], (const char *)priv->data, priv->len);
	secbuf_free(priv);
	/* Not in the field, the key is not the one its public key would be shown for. */
	if (set != 0) {
		snprintf(w->status, sizeof(w->status), "the new key does not fit the field: nothing changed");
		return;
	}
	w->lost[FIELD_SSH_KEY] = false;
	input_set(&w->in[FIELD_SSH_KEY_PASSPHRASE], "", 0);
	wizard_changed(w, FIELD_SSH_KEY);
	wizard_changed(w, FIELD_SSH_KEY_PASSPHRASE);
	wizard_key_hash(w, w->pub_of);
	secret_tools_pub_id(pub, w->pub_id, sizeof(w->pub_id));
	/* Kept at once: its public key may be in Azure DevOps before a field is left, and the run may drop. */
	wizard_draft_save(w);
	/* The id the key is kept under: the row's, or the default (what the function returns, not buf). */
	const char *id = wizard_secret_id(w, FIELD_SSH_KEY, sid, sizeof(sid));
	/* A public key file there already (an edit's saved key): kept, to put back if this key goes. */
	char path[sizeof(w->pub_path)], *was = NULL;
	size_t len;
	if (!w->start->dry_run && !w->pub_was && (!*w->pub_path || !wizard_key_made_here(w)) &&
	    sshkey_pub_path(p->data_dir, id, path, sizeof(path)) && fileio_read_path(path, SSHKEY_PUB_MAX, &was, &len) == 0)
		w->pub_was = was;
	if (w->start->dry_run) {
		w->pub_path[0] = '\0';
	} else if (sshkey_write_pub(p->data_dir, id, pub, w->pub_path, sizeof(w->pub_path)) != 0) {
		if (errno == EINVAL)
			snprintf(w->status, sizeof(w->status), "the store id '%.64s' is not valid: the public key is "
			         "shown, not written to a file", id);
		else
			snprintf(w->status, sizeof(w->status), "cannot write %s: %s", w->pub_path, strerror(errno));
		w->pub_path[0] = '\0';
	}
	snprintf(text, sizeof(text), "\nNew SSH key (RSA %d) for the connector.\n"
	         "Add this public key in Azure DevOps: User settings > SSH public keys > New Key.\n"
	         "%s%s%s\n%s\n\nThe private key is kept only in this run's memory until the connector is\n"
	         "saved: then it goes into the secret store, and the wizard says how to get it\n"
	         "for Harness. Quitting before that loses it.\n\nAny key goes back to the wizard. ",
	         SSHKEY_GENERATE_BITS,
	         *w->pub_path ? "It is also in " : "", w->pub_path, *w->pub_path ? ".\n" : "", pub);
	term_show_plain(text);
	/* A dry run keeps no key: what the screen showed must not outlive it. */
	if (w->start->dry_run)
		term_forget_plain();
}

/* One line of F4's list: the id, when it was last set, and which connectors use it. */
static void secret_tools_label(const struct secret_users *u, const struct store_info *info, char *buf,
                               size_t buflen)
{
	char when[16] = "", users[256], refused[256], id[40];
	time_t t = (time_t)info->updated;
	size_t len = strlen(info->id);
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d", &tm);
	secret_users_in(u, info->id, users, sizeof(users), refused, sizeof(refused), NULL);
	/* An id longer than its column is cut in the middle (ids often differ at their ends): the date stays. */
	if (len > 26)
		snprintf(id, sizeof(id), "%.12s%s%s", info->id, term_more(), info->id + len - 13);
	else
		snprintf(id, sizeof(id), "%-26s", info->id);
	/* The box is 60 columns: a long list of users is cut there anyway. */
	snprintf(buf, buflen, "%s %s  %s%.64s", id, when, *users ? "used by " : *refused ? "" : "unused", users);
}

/* F4 on a store id: the secrets of that kind already stored, to use one of them. */
void secret_tools_pick(struct wizard *w, enum field_id id)
{
	char labels[256][192];
	const char *items[256], *ids[256];
	struct secret_users users;
	size_t n = 0;

	if (!w->store) {
		int rc = store_cli_open(w->ctx, STORE_CLI_OPTIONAL, &w->store);
		w->busy[0] = '\0'; /* "opening the secret store...": done */
		w->status[0] = '\0';
		wizard_take_messages(w);
		if (rc != 0)
			return;
		if (!w->store) {
			snprintf(w->status, sizeof(w->status), "there is no secret store yet: type the value");
			return;
		}
	}
	/* Each connector read once, not once per secret: a fleet's box has hundreds of both. */
	if (secret_users_load(w->ctx->paths.connectors_dir, &users) != 0) {
		snprintf(w->status, sizeof(w->status), "cannot read %s: %s", w->ctx->paths.connectors_dir,
		         strerror(errno));
		return;
	}
	for (size_t i = 0; i < store_count(w->store) && n < sizeof(items) / sizeof(items[0]); i++) {
		struct store_info info;
		/* An id that looks like a token is never shown (secret list withholds it too). */
		if (store_info(w->store, i, &info) && info.kind == fields_at(id)->store_kind &&
		    !ident_looks_like_token(info.id)) {
			secret_tools_label(&users, &info, labels[n], sizeof(labels[n]));
			ids[n] = info.id;
			items[n] = labels[n];
			n++;
		}
	}
	secret_users_free(&users);
	if (n == 0) {
		snprintf(w->status, sizeof(w->status), "no secret of kind %s in the store yet: type the value",
		         store_kind_name(fields_at(id)->store_kind));
		return;
	}
	/* The list starts on the secret the field names now, if it is one of them. */
	char sid[128];
	const char *now = wizard_secret_id(w, id, sid, sizeof(sid));
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], now) == 0)
			start = i;
	int at = dialog_pick(w, "Stored secrets", items, n, start);
	if (at < 0)
		return;
	/* The key made with F3 goes only when asked, as an edit of it does: its public key may be in Azure DevOps. */
	if (id == FIELD_SSH_KEY && *w->pub_id && wizard_key_made_here(w) &&
	    !wizard_made_key_may_go(w, "Use the stored key in place of the SSH key made with F3?"))
		return;
	/* The stored value is used: what was typed for this secret goes, and that is said. */
	if (*input_text(&w->in[id]))
		snprintf(w->status, sizeof(w->status), "the stored secret '%s' is used: what was typed for %s "
		         "is cleared", ids[at], fields_at(id)->label);
	input_set(&w->sid[id], ids[at], strlen(ids[at]));
	input_set(&w->in[id], "", 0);
	wizard_changed(w, id);
}
