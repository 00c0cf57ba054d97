/*
 * Opening the secret store the way every command does: the key file of
 * --key-file, the systemd credential, or the passphrase asked on /dev/tty
 * (three tries). Used by 'secret', the connectivity check and 'new'.
 */
#ifndef AZ_STORE_CLI_H
#define AZ_STORE_CLI_H

#include "cli.h"
#include "store.h"

enum store_cli_mode {
	STORE_CLI_EXISTING, /* no store yet: an error (exit 17) */
	STORE_CLI_OPTIONAL, /* no store yet: *out = NULL, exit code 0 */
	STORE_CLI_CREATE,   /* no store yet: create one (passphrase typed twice, or the key file) */
};

/*
 * Open and unlock the store of ctx->paths.store into *out (store_close it).
 * Messages go to ctx->err; returns an exit code (exitcode.h), 0 on success.
 */
int store_cli_open(struct cli_ctx *ctx, enum store_cli_mode mode, struct store **out);

/* What a run that handles secrets keeps in locked memory: a command's, the wizard's (measured, with room). */
#define STORE_CLI_LOCK_NEED (256 * 1024)
#define STORE_CLI_LOCK_NEED_WIZARD (1024 * 1024)

/*
 * Looked at once a run (at the first call): a limit on locked memory (ulimit -l) too low for
 * need more bytes is said, with the fix.
 */
void store_cli_lock_note(struct cli_ctx *ctx, size_t need);

/*
 * What 'secret set ID' needs to store kind: "" for a token (the default), else
 * " --kind NAME", and for a key " --from-file KEY" (a key is never typed).
 */
const char *store_cli_kind_flag(enum store_kind kind, char *buf, size_t buflen);

/* How the store is unlocked, without unlocking it: false when there is none (or it cannot be read). */
bool store_cli_method(const struct cli_ctx *ctx, enum store_method *m);

/*
 * Can the store (if there is one) be opened with what this run was given: a
 * passphrase store, or a key file or credential at hand for one of those?
 * Asked before the wizard starts, not after all is typed. An exit code.
 */
int store_cli_key_at_hand(const struct cli_ctx *ctx);

/*
 * Could a store be made now: a key file, the systemd credential, or a terminal
 * to type its new passphrase on? 0, or the exit code with the reason said
 * (before a check that would be run in vain).
 */
int store_cli_can_create(struct cli_ctx *ctx);

/* Print err's message and return the exit code of its status. */
int store_cli_fail(struct cli_ctx *ctx, const struct store_error *err);

/*
 * New key material for method: a passphrase typed twice on /dev/tty, or the
 * bytes of key_file (made with 32 random bytes and mode 0400 when it does not
 * exist; from_credentials: the systemd credential itself, read as such).
 * Returns an exit code.
 */
int store_cli_new_key(struct cli_ctx *ctx, enum store_method method, const char *key_file,
                      bool from_credentials, struct secbuf **key);

/* Can the value be read from path (there, readable, not a folder)? An exit code, with why in msg. */
int store_cli_value_readable(const char *path, char *msg, size_t msglen);

/*
 * A secret value of kind as the commands read it: from path when not NULL,
 * else typed on the terminal with echo off (a password or passphrase twice)
 * when stdin is one, else all of stdin. A text kind loses one trailing
 * newline, a private key keeps it; at most 64 KiB. 0 with *value set, or an
 * exit code with the reason in msg; file_flag names the way to give a file
 * ("--from-file F") in the message refusing to type a private key.
 */
int store_cli_read_value(const struct cli_ctx *ctx, enum store_kind kind, const char *path,
                         const char *prompt, const char *file_flag, struct secbuf **value,
                         char *msg, size_t msglen);

/*
 * The stored id id perhaps meant (a typo: within two edits), never one that looks like a token;
 * only of kind (an enum store_kind), or of any (-1). NULL when none is.
 */
const char *store_cli_id_meant(const struct store *s, const char *id, int kind);

#endif
