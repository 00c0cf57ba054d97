#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "msg.h"
#include "paths.h"
#include "unlock.h"

static int unlock_fail(struct cli_ctx *ctx, enum store_status st, const struct store_error *err)
{
	msg_error(ctx->err, "%s", err->message);
	return store_exit_code(st);
}

/* Key material of a key-file method: --key-file, or the systemd credential. */
static int unlock_key_file(struct cli_ctx *ctx, enum store_method method, bool create,
                           struct secbuf **key)
{
	struct store_error err = { 0 };
	enum store_status st;

	if (method == STORE_METHOD_CREDENTIAL) {
		char *path = store_credential_path();
		if (!path) {
			msg_error(ctx->err, "the store is unlocked by a systemd credential, but $CREDENTIALS_DIRECTORY "
			                    "is not set: run under a unit with LoadCredential%s=%s",
			          "Encrypted", STORE_CREDENTIAL_NAME);
			return AZ_EXIT_STORE_WRONG_KEY;
		}
		st = store_key_file_read(path, true, key, &err);
		free(path);
	} else if (!ctx->key_file) {
		msg_error(ctx->err, "the store is unlocked by a key file: pass --key-file FILE");
		return AZ_EXIT_STORE_WRONG_KEY;
	} else if (create && access(ctx->key_file, F_OK) != 0 && errno == ENOENT) {
		st = store_key_file_create(ctx->key_file, key, &err);
		if (st == STORE_OK)
			msg_error(ctx->err, "created the key file %s (mode 0400): keep it safe and out of backups",
			          ctx->key_file);
	} else {
		st = store_key_file_read(ctx->key_file, false, key, &err);
	}
	return st == STORE_OK ? AZ_EXIT_OK : unlock_fail(ctx, st, &err);
}

static struct secbuf *unlock_ask(struct cli_ctx *ctx, const char *prompt)
{
	struct secbuf *p = secbuf_read_tty(prompt, STORE_KEY_MATERIAL_MAX);
	int e = errno;

	if (!p && e == ECANCELED)
		msg_error(ctx->err, "cancelled");
	else if (!p)
		msg_error(ctx->err, "cannot read a passphrase: no terminal (use --key-file FILE, or "
		                    "run with a terminal: ssh -t)");
	errno = e; /* callers tell a cancel from a missing terminal */
	return p;
}

static int unlock_create(struct cli_ctx *ctx, struct store **out)
{
	struct store_error err = { 0 };
	enum store_method method = STORE_METHOD_PASSPHRASE;
	struct secbuf *key = NULL;
	char *cred = store_credential_path();
	int rc;

	if (ctx->key_file || cred) {
		method = ctx->key_file ? STORE_METHOD_KEYFILE : STORE_METHOD_CREDENTIAL;
		rc = unlock_key_file(ctx, method, true, &key);
	} else {
		msg_error(ctx->err, "creating the secret store %s: choose a passphrase", ctx->paths.store);
		key = unlock_ask(ctx, "New store passphrase: ");
		struct secbuf *again = key ? unlock_ask(ctx, "Repeat the passphrase: ") : NULL;
		rc = AZ_EXIT_CANCELLED;
		if (key && again && key->len == 0)
			msg_error(ctx->err, "an empty passphrase protects nothing; try again");
		else if (key && again && !secbuf_equal(key, again))
			msg_error(ctx->err, "the passphrases differ; nothing was created");
		else if (key && again)
			rc = AZ_EXIT_OK;
		else if (errno != ECANCELED)
			rc = AZ_EXIT_USAGE;
		secbuf_free(again);
	}
	free(cred);
	if (rc == AZ_EXIT_OK) {
		if (paths_mkdir(ctx->paths.data_dir) != 0) {
			msg_error(ctx->err, "cannot create %s: %s", ctx->paths.data_dir, strerror(errno));
			rc = AZ_EXIT_STORE_IO;
		} else {
			enum store_status st = store_create(ctx->paths.store, method, key, out, &err);
			rc = st == STORE_OK ? AZ_EXIT_OK : unlock_fail(ctx, st, &err);
		}
	}
	secbuf_free(key);
	return rc;
}

int unlock_store(struct cli_ctx *ctx, bool create, struct store **out)
{
	struct store_error err = { 0 };
	struct store *s = NULL;
	enum store_status st = store_load(ctx->paths.store, &s, &err);

	*out = NULL;
	if (st == STORE_NO_STORE && create)
		return unlock_create(ctx, out);
	if (st != STORE_OK)
		return unlock_fail(ctx, st, &err);

	enum store_method method = store_method(s);
	int rc = AZ_EXIT_OK;
	if (method != STORE_METHOD_PASSPHRASE) {
		struct secbuf *key = NULL;
		rc = unlock_key_file(ctx, method, false, &key);
		if (rc == AZ_EXIT_OK) {
			st = store_unlock(s, key, &err);
			rc = st == STORE_OK ? AZ_EXIT_OK : unlock_fail(ctx, st, &err);
		}
		secbuf_free(key);
	} else {
		/* Three tries, as ssh and sudo allow; only a wrong passphrase is retried. */
		st = STORE_WRONG_KEY;
		for (int i = 0; i < 3 && st == STORE_WRONG_KEY; i++) {
			struct secbuf *key = unlock_ask(ctx, "Store passphrase: ");
			if (!key) {
				rc = errno == ECANCELED ? AZ_EXIT_CANCELLED : AZ_EXIT_STORE_WRONG_KEY;
				break;
			}
			st = store_unlock(s, key, &err);
			secbuf_free(key);
			if (st == STORE_WRONG_KEY && i < 2)
				msg_error(ctx->err, "wrong passphrase, try again");
		}
		if (rc == AZ_EXIT_OK && st != STORE_OK)
			rc = unlock_fail(ctx, st, &err);
	}
	if (rc != AZ_EXIT_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return AZ_EXIT_OK;
}
