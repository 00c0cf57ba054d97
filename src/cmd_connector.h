/* What the commands on saved connectors share with other commands (test, edit). */
#ifndef AZ_CMD_CONNECTOR_H
#define AZ_CMD_CONNECTOR_H

#include "cli.h"
#include "connector.h"
#include "ident.h"
#include "store.h"

/*
 * Load the saved connector id for command cmd: 0 with *out set, or an exit
 * code after a message: AZ_EXIT_INVALID when id is not an identifier (nothing
 * is looked up), AZ_EXIT_ERROR when there is no such connector (the message
 * says where it looked) or its file is refused or unreadable.
 */
int cmd_connector_load(struct cli_ctx *ctx, const char *cmd, const char *id,
                       struct connector **out);

/*
 * Those secrets, and the commands that remove them from the store: only those store holds when
 * it is open (not NULL), none when there is no store; with a token's advice if an id looks like one.
 */
struct store;
void cmd_connector_print_unused(const struct cli_ctx *ctx, const char (*ids)[IDENT_SECRET_ID_MAX + 1], size_t n,
                                const char *maybe, const struct store *store);

/* The secrets maybe unused ("a, b", as secret_users_unused gives them): why they are not offered. */
void cmd_connector_print_maybe_unused(FILE *out, const char *maybe);

#endif
