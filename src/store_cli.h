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

#endif
