#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcode.h"
#include "ident.h"
#include "msg.h"
#include "nearest.h"
#include "store_cli.h"
#include "sshkey.h"
#include "utf8.h"

#define STORE_CLI_TRIES 3
/* The shortest new passphrase taken, in characters. */
#define STORE_CLI_PASSPHRASE_MIN 8

int store_cli_fail(struct cli_ctx *ctx, const struct store_error *err)
{
	char prog[CLI_PROGRAM_MAX];

	/*
	 * A store that cannot be opened: the ways out, with the file named (one line: the wizard shows
	 * one), and --home in the command: without it, it would put aside another store; with this
	 * run's --key-file too: a store locked with one is reset only when it is given.
	 */
	if (err->status == STORE_CORRUPT || err->status == STORE_TAMPERED)
		msg_error(ctx->err, "%s; the secret store %s cannot be used as it is: restore it from a backup, "
		          "or put it aside and start a new one with '%s secret rekey --reset' (its "
		          "secrets are lost then)", err->message, ctx->paths.store,
		          cli_program(ctx, true, prog, sizeof(prog)));
	else if (err->status == STORE_WRONG_KEY)
		msg_error(ctx->err, "%s (%s); if its passphrase or key is lost, '%s secret rekey "
		          "--reset' puts it aside and starts a new one", err->message, ctx->paths.store,
		          cli_program(ctx, true, prog, sizeof(prog)));
	else
		msg_error(ctx->err, "%s", err->message);
	return store_exit_code(err->status);
}

/*
 * A passphrase or value typed by the user: on /dev/tty, or as the front end asks it.
 * hold: echo stays off on /dev/tty until secbuf_tty_release (see secbuf_read_tty_held).
 */
static struct secbuf *store_cli_ask_tty(const struct cli_ctx *ctx, const char *prompt, size_t max, bool hold)
{
	if (ctx->ask_secret)
		return ctx->ask_secret(ctx->ask_user, prompt, max);
	return hold ? secbuf_read_tty_held(prompt, max) : secbuf_read_tty(prompt, max);
}

static struct secbuf *store_cli_ask(const struct cli_ctx *ctx, const char *prompt, size_t max)
{
	return store_cli_ask_tty(ctx, prompt, max, false);
}

/*
 * After "use a systemd credential": a credential folder without ours, likely a
 * unit loading it under another name (" ($CREDENTIALS_DIRECTORY D holds no ...)"),
 * into buf; "" without one.
 */
static const char *store_cli_credential_note(char *buf, size_t len)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");

	buf[0] = '\0';
	if (dir && *dir)
		snprintf(buf, len, " ($CREDENTIALS_DIRECTORY %s holds no " STORE_CREDENTIAL_NAME ")", dir);
	return buf;
}

/* A failed store_cli_ask. */
static int store_cli_tty_error(struct cli_ctx *ctx, int errnum)
{
	char note[PATH_MAX + 96];

	switch (errnum) {
	case ENXIO:
		msg_error(ctx->err, "the secret store needs a passphrase and there is no terminal to ask it on; "
		          "use --key-file F or a systemd credential (see azrepos-connect(1))%s",
		          store_cli_credential_note(note, sizeof(note)));
		return AZ_EXIT_USAGE;
	case ECANCELED:
		msg_error(ctx->err, "cancelled at the passphrase prompt");
		return AZ_EXIT_CANCELLED;
	case EFBIG:
		msg_error(ctx->err, "the passphrase is longer than %d bytes", STORE_KEY_MATERIAL_MAX);
		return AZ_EXIT_INVALID;
	default:
		break;
	}
	msg_error(ctx->err, "cannot read the passphrase from the terminal: %s", strerror(errnum));
	return AZ_EXIT_ERROR;
}

static int store_cli_read_key_file(struct cli_ctx *ctx, const char *path, bool credential, struct secbuf **key)
{
	struct store_error err;

	if (store_key_file_read(path, credential, key, &err) != STORE_OK)
		return store_cli_fail(ctx, &err);
	return AZ_EXIT_OK;
}

int store_cli_new_key(struct cli_ctx *ctx, enum store_method method, const char *key_file,
                      bool from_credentials, struct secbuf **key)
{
	struct store_error err;
	struct stat st;

	*key = NULL;
	if (method != STORE_METHOD_PASSPHRASE) {
		if (from_credentials || lstat(key_file, &st) == 0 || errno != ENOENT)
			return store_cli_read_key_file(ctx, key_file, from_credentials, key);
		if (ident_looks_like_token(key_file)) {
			msg_error(ctx->err, "the key file to make: %s; nothing was made", IDENT_TOKEN_AS_PATH);
			return AZ_EXIT_INVALID;
		}
		if (store_key_file_create(key_file, key, &err) != STORE_OK) {
			/* Another first run made it meanwhile (whole: written aside, then renamed): it is the key. */
			if (lstat(key_file, &st) == 0)
				return store_cli_read_key_file(ctx, key_file, false, key);
			return store_cli_fail(ctx, &err);
		}
		msg_error(ctx->err, "created the key file %s (32 random bytes, mode 0400): keep a copy apart "
		          "from the store; without it the secrets cannot be read", key_file);
		ctx->key_file_made = !from_credentials && key_file == ctx->key_file;
		return AZ_EXIT_OK;
	}
	/* As passwd: a typing slip (empty, or not the same twice) is asked again, three times at most. */
	for (int tries = 1;; tries++) {
		struct secbuf *again;
		const char *wrong = NULL;
		char short_msg[96];

		if (!(*key = store_cli_ask(ctx, "New passphrase for the secret store: ", STORE_KEY_MATERIAL_MAX)))
			return store_cli_tty_error(ctx, errno);
		if ((*key)->len == 0) {
			wrong = "an empty passphrase is not allowed";
		} else if (utf8_count((const char *)(*key)->data) < STORE_CLI_PASSPHRASE_MIN) {
			/* A copy of the store (a backup) is tried offline: a few letters fall at once. */
			snprintf(short_msg, sizeof(short_msg), "that passphrase is too short: use at least %d characters "
			         "(a few words)", STORE_CLI_PASSPHRASE_MIN);
			wrong = short_msg;
		} else {
			if (!(again = store_cli_ask(ctx, "Repeat the passphrase: ", STORE_KEY_MATERIAL_MAX))) {
				int rc = store_cli_tty_error(ctx, errno);
				secbuf_free(*key);
				*key = NULL;
				return rc;
			}
			if (!secbuf_equal(*key, again))
				wrong = "the passphrases do not match";
			secbuf_free(again);
		}
		if (!wrong)
			return AZ_EXIT_OK;
		secbuf_free(*key);
		*key = NULL;
		if (tries == 3) {
			msg_error(ctx->err, "%s; nothing was changed", wrong);
			return AZ_EXIT_INVALID;
		}
		msg_error(ctx->err, "%s: type it again", wrong);
	}
}

int store_cli_can_create(struct cli_ctx *ctx)
{
	char *cred = store_credential_path();
	bool ok = ctx->key_file || ctx->ask_secret || secbuf_has_tty() || (cred && access(cred, F_OK) == 0);
	struct store_error err;

	free(cred);
	/* A key file to be made in a folder that is not there: a typo, said before the check. */
	if (ctx->key_file && access(ctx->key_file, F_OK) != 0 &&
	    store_key_file_placeable(ctx->key_file, &err) != STORE_OK)
		return store_cli_fail(ctx, &err);
	if (ok)
		return AZ_EXIT_OK;
	/* Not "needs a passphrase": there is no store; a key file named but not there is made. */
	char note[PATH_MAX + 96];
	msg_error(ctx->err, "there is no secret store yet (%s) and no terminal to ask a new one's passphrase on: "
	          "give --key-file F (a new key file is made when F does not exist) or a systemd credential "
	          "(see azrepos-connect(1))%s", ctx->paths.store, store_cli_credential_note(note, sizeof(note)));
	return AZ_EXIT_USAGE;
}

static int store_cli_create(struct cli_ctx *ctx, struct store **out)
{
	struct store_error err;
	struct secbuf *key;
	char *cred = store_credential_path();
	enum store_method method = STORE_METHOD_PASSPHRASE;
	const char *key_file = NULL;
	int rc;

	if (ctx->key_file) {
		method = STORE_METHOD_KEYFILE;
		key_file = ctx->key_file;
	} else if (cred && access(cred, F_OK) == 0) {
		method = STORE_METHOD_CREDENTIAL;
		key_file = cred;
	}
	/* Said before the passphrase is asked: a store kept elsewhere (another --home) is not this one. */
	if (method == STORE_METHOD_PASSPHRASE && (ctx->ask_secret || secbuf_has_tty()))
		msg_error(ctx->err, "note: no secret store yet: a new one is made, %s; its passphrase is "
		          "asked whenever a secret is read, and nothing can recover it", ctx->paths.store);
	/* A folder that cannot hold the store is said before a key file is made for it. */
	if (store_prepare_dir(ctx->paths.store, &err) != STORE_OK) {
		free(cred);
		return store_cli_fail(ctx, &err);
	}
	rc = store_cli_new_key(ctx, method, key_file, method == STORE_METHOD_CREDENTIAL, &key);
	free(cred);
	if (rc != AZ_EXIT_OK)
		return rc;
	if (store_create(ctx->paths.store, method, key, out, &err) != STORE_OK)
		rc = store_cli_fail(ctx, &err);
	else if (store_notice(*out))
		msg_error(ctx->err, "note: %s", store_notice(*out));
	secbuf_free(key);
	return rc;
}

/* A store of method m, and no key file or credential given to open it: said, AZ_EXIT_USAGE. */
static int store_cli_no_key(const struct cli_ctx *ctx, enum store_method m)
{
	char prog[CLI_PROGRAM_MAX];

	if (m == STORE_METHOD_KEYFILE)
		msg_error(ctx->err, "the secret store is unlocked with a key file: give --key-file F, before the "
		          "command ('%s --key-file F ...')", cli_program(ctx, true, prog, sizeof(prog)));
	else
		msg_error(ctx->err, "the secret store is unlocked with the systemd credential "
		          STORE_CREDENTIAL_NAME ", and $CREDENTIALS_DIRECTORY is not set: run this from "
		          "the service that loads it, or give --key-file F");
	return AZ_EXIT_USAGE;
}

bool store_cli_method(const struct cli_ctx *ctx, enum store_method *m)
{
	struct store_error err;
	struct store *s = NULL;

	if (store_load(ctx->paths.store, &s, &err) != STORE_OK)
		return false;
	*m = store_method(s);
	store_close(s);
	return true;
}

int store_cli_key_at_hand(const struct cli_ctx *ctx)
{
	enum store_method m;

	/* Any other fault of the store is said where it is opened. */
	if (ctx->key_file || !store_cli_method(ctx, &m))
		return AZ_EXIT_OK;
	char *cred = m == STORE_METHOD_CREDENTIAL ? store_credential_path() : NULL;
	int rc = m == STORE_METHOD_PASSPHRASE || cred ? AZ_EXIT_OK : store_cli_no_key(ctx, m);
	free(cred);
	return rc;
}

/* Unlock with a key file or the credential (one try: nobody is there to retry). */
static int store_cli_unlock_file(struct cli_ctx *ctx, struct store *s)
{
	enum store_method m = store_method(s);
	struct store_error err;
	struct secbuf *key = NULL;
	char *cred = NULL;
	int rc;

	if (ctx->key_file) {
		rc = store_cli_read_key_file(ctx, ctx->key_file, false, &key);
	} else if (m == STORE_METHOD_CREDENTIAL && (cred = store_credential_path()) != NULL) {
		rc = store_cli_read_key_file(ctx, cred, true, &key);
	} else {
		rc = store_cli_no_key(ctx, m);
	}
	free(cred);
	if (rc == AZ_EXIT_OK && store_unlock(s, key, &err) != STORE_OK) {
		/* The key tried is named: --key-file is taken before the credential the store was made with. */
		if (err.status == STORE_WRONG_KEY && ctx->key_file && m == STORE_METHOD_CREDENTIAL) {
			/* Not a lost key: the store's is the credential, which a --key-file run does not try. */
			msg_error(ctx->err, "the secret store is unlocked with the systemd credential "
			          STORE_CREDENTIAL_NAME ", and the key file %s does not open it: leave out "
			          "--key-file (in the service that loads the credential)", ctx->key_file);
			rc = store_exit_code(STORE_WRONG_KEY);
		} else {
			if (err.status == STORE_WRONG_KEY && ctx->key_file)
				snprintf(err.message, sizeof(err.message), "wrong key for the secret store: the key "
				         "file %s does not open it", ctx->key_file);
			rc = store_cli_fail(ctx, &err);
		}
	}
	secbuf_free(key);
	return rc;
}

static int store_cli_unlock_passphrase(struct cli_ctx *ctx, struct store *s)
{
	struct store_error err;

	if (ctx->key_file) {
		msg_error(ctx->err, "the secret store is unlocked with a passphrase, not a key file: "
		          "leave out --key-file (or change it with 'secret rekey --new-key-file F')");
		return AZ_EXIT_STORE_WRONG_KEY;
	}
	for (int i = 1, empty = 0;; i++) {
		/* Echo stays off during the key derivation: a value typed ahead for the next prompt is not shown. */
		struct secbuf *key = store_cli_ask_tty(ctx, "Passphrase for the secret store: ", STORE_KEY_MATERIAL_MAX,
		                                       true);
		enum store_status st;

		/* No terminal: --key-file cannot open a passphrase store (exit 10), so the way out is a terminal. */
		if (!key && errno == ENXIO) {
			char prog[CLI_PROGRAM_MAX];

			msg_error(ctx->err, "the secret store %s is locked with a passphrase and there is no terminal to "
			          "type it on: run this on a terminal (ssh -t), or switch it to a key file there once "
			          "with '%s secret rekey --new-key-file F'", ctx->paths.store,
			          cli_program(ctx, true, prog, sizeof(prog)));
			return AZ_EXIT_USAGE;
		}
		if (!key)
			return store_cli_tty_error(ctx, errno);
		/* Enter alone (a key sent ahead over a slow link) is no try: no store has an empty one. */
		if (key->len == 0 && ++empty < STORE_CLI_TRIES) {
			secbuf_free(key);
			msg_error(ctx->err, "no passphrase was typed: type it (Ctrl-C gives up)");
			i--;
			continue;
		}
		st = store_unlock(s, key, &err);
		secbuf_tty_release();
		secbuf_free(key);
		if (st == STORE_OK)
			return AZ_EXIT_OK;
		if (st != STORE_WRONG_KEY || i == STORE_CLI_TRIES)
			return store_cli_fail(ctx, &err);
		msg_error(ctx->err, "wrong passphrase, try again");
	}
}

const char *store_cli_kind_flag(enum store_kind kind, char *buf, size_t buflen)
{
	/* A key is never typed at the prompt: it comes from its file. */
	snprintf(buf, buflen, "%s%s%s", kind != STORE_KIND_TOKEN ? " --kind " : "",
	         kind != STORE_KIND_TOKEN ? store_kind_name(kind) : "",
	         kind == STORE_KIND_SSH_PRIVATE_KEY ? " --from-file KEY" : "");
	return buf;
}

void store_cli_lock_note(struct cli_ctx *ctx, size_t need)
{
	struct rlimit rl;

	/* Once a run (the limit does not change): not a probe again at each store opened. */
	if (ctx->lock_checked)
		return;
	ctx->lock_checked = true;
	if (secbuf_lock_room(need) || getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return;
	msg_error(ctx->err, "note: the limit on locked memory (ulimit -l, %llu KiB) is too low to keep secrets out of "
	          "swap: they may be written to disk; raise it ('ulimit -l 8192', or LimitMEMLOCK=8M in a "
	          "systemd unit)", (unsigned long long)rl.rlim_cur / 1024);
}

int store_cli_open(struct cli_ctx *ctx, enum store_cli_mode mode, struct store **out)
{
	struct store_error err;
	struct store *s = NULL;
	enum store_status st = store_load(ctx->paths.store, &s, &err);
	int rc;

	store_cli_lock_note(ctx, STORE_CLI_LOCK_NEED);
	*out = NULL;
	if (st == STORE_NO_STORE && mode == STORE_CLI_OPTIONAL)
		return AZ_EXIT_OK;
	if (st == STORE_NO_STORE && mode == STORE_CLI_CREATE)
		return store_cli_create(ctx, out);
	if (st == STORE_NO_STORE) {
		char prog[CLI_PROGRAM_MAX];

		msg_error(ctx->err, "there is no secret store yet (%s): '%s secret set ID' creates it",
		          ctx->paths.store, cli_program(ctx, true, prog, sizeof(prog)));
		return AZ_EXIT_STORE_NOT_FOUND;
	}
	if (st != STORE_OK)
		return store_cli_fail(ctx, &err);
	rc = store_method(s) == STORE_METHOD_PASSPHRASE ? store_cli_unlock_passphrase(ctx, s)
	                                                : store_cli_unlock_file(ctx, s);
	if (rc != AZ_EXIT_OK) {
		store_close(s);
		return rc;
	}
	*out = s;
	return AZ_EXIT_OK;
}

/*
 * A value not read (errnum of the read), from where the message names (typed: at the terminal,
 * else a file or standard input): msg and the exit code.
 */
static int store_cli_value_error(int errnum, const char *from, bool typed, char *msg, size_t msglen)
{
	switch (errnum) {
	case EFBIG:
		/* A file (or stdin) is named: /dev/zero or a log given for the token file is seen for what it is. */
		if (typed)
			snprintf(msg, msglen, "the value is larger than 64 KiB");
		else
			snprintf(msg, msglen, "%s is larger than 64 KiB, more than a secret can be%s", from,
			         strcmp(from, "standard input") != 0 ? ": is it the file meant?" : "");
		return AZ_EXIT_INVALID;
	case ECANCELED:
		snprintf(msg, msglen, "cancelled");
		return AZ_EXIT_CANCELLED;
	default:
		/* The token where its file's name goes: said, not quoted (it may be in the shell's history). */
		if (ident_looks_like_token(from)) {
			snprintf(msg, msglen, "that looks like the token itself, not the name of a file holding it "
			         "(not shown): revoke it, it may be in the shell's history");
			return AZ_EXIT_INVALID;
		}
		snprintf(msg, msglen, "cannot read %s: %s", from, strerror(errnum));
		return AZ_EXIT_ERROR;
	}
}

int store_cli_value_readable(const char *path, char *msg, size_t msglen)
{
	struct stat st;

	if (stat(path, &st) != 0 || access(path, R_OK) != 0)
		return store_cli_value_error(errno, path, false, msg, msglen);
	return S_ISDIR(st.st_mode) ? store_cli_value_error(EISDIR, path, false, msg, msglen) : AZ_EXIT_OK;
}

/*
 * A private key file group or others can read (OpenSSH refuses to use one): whoever could may have
 * the key. Said of a key (one with a passphrase, or not RSA, too), not of text refused as none.
 */
static void store_cli_note_key_mode(const struct cli_ctx *ctx, const char *path, const struct secbuf *key)
{
	struct stat st;
	char msg[256];

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) &&
	    sshkey_check(key, NULL, msg, sizeof(msg)) != -1)
		msg_error(ctx->err, "note: the SSH key file %s is open to group or others (mode %04o; OpenSSH would "
		          "refuse it): whoever could read it may have the key; once it is stored, remove the file or "
		          "run 'chmod 600 %s'", path, (unsigned)(st.st_mode & 07777), path);
}

int store_cli_read_value(const struct cli_ctx *ctx, enum store_kind kind, const char *path,
                         const char *prompt, const char *file_flag, struct secbuf **value,
                         char *msg, size_t msglen)
{
	bool text = kind != STORE_KIND_SSH_PRIVATE_KEY; /* a key file keeps its last newline */
	size_t max = STORE_VALUE_MAX + 2;             /* room for a trailing CRLF that is dropped */
	struct secbuf *again;
	int rc = AZ_EXIT_OK;

	*value = NULL;
	if (path || !ctx->stdin_tty) {
		*value = path ? secbuf_read_file(path, max, text) : secbuf_read_fd(STDIN_FILENO, max, text);
		if (*value && path && !text)
			store_cli_note_key_mode(ctx, path, *value);
		return *value ? AZ_EXIT_OK
		              : store_cli_value_error(errno, path ? path : "standard input", false, msg, msglen);
	}
	if (!text) {
		snprintf(msg, msglen, "an SSH private key is read from %s or standard input, not typed",
		         file_flag);
		return AZ_EXIT_USAGE;
	}
	*value = store_cli_ask(ctx, prompt, max);
	if (!*value)
		return store_cli_value_error(errno, "the value from the terminal", true, msg, msglen);
	if (kind == STORE_KIND_TOKEN)
		return AZ_EXIT_OK;
	/* Passwords and passphrases are typed blind: once more to catch a typo. */
	again = store_cli_ask(ctx, "Repeat the value: ", max);
	if (!again) {
		rc = store_cli_value_error(errno, "the repeated value from the terminal", true, msg, msglen);
	} else if (!secbuf_equal(*value, again)) {
		snprintf(msg, msglen, "the values do not match");
		rc = AZ_EXIT_INVALID;
	}
	secbuf_free(again);
	if (rc != AZ_EXIT_OK) {
		secbuf_free(*value);
		*value = NULL;
	}
	return rc;
}

const char *store_cli_id_meant(const struct store *s, const char *id, int kind)
{
	struct store_info info;
	struct nearest n;

	nearest_start(&n, id, strlen(id));
	for (size_t i = 0; store_info(s, i, &info); i++)
		if (!ident_looks_like_token(info.id) && (kind < 0 || (int)info.kind == kind))
			nearest_offer(&n, info.id);
	return nearest_found(&n);
}
