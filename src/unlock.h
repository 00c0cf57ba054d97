/* Opening the secret store for a command: the one place that decides how it is unlocked. */
#ifndef AZ_UNLOCK_H
#define AZ_UNLOCK_H

#include <stdbool.h>

#include "cli.h"
#include "store.h"

/*
 * Load and unlock the store at ctx->paths.store with what its method needs:
 * --key-file F, the systemd credential ($CREDENTIALS_DIRECTORY), or a
 * passphrase typed on the terminal (three tries). With create, a missing
 * store is created: with --key-file F (F is made if it does not exist), else
 * the credential, else a passphrase typed twice; without a way to unlock it
 * says which flag to use. Returns AZ_EXIT_OK with *out set, or the exit code
 * after a message on ctx->err.
 */
int unlock_store(struct cli_ctx *ctx, bool create, struct store **out);

#endif
