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

/* Is id a secret field of c that applies, with a store id? That id, else NULL. */
const char *cmd_connector_secret_id(const struct connector *c, int id);

/*
 * The saved connectors that name secret id, as "a, b" in buf ("" for none); those whose file is
 * refused (they may), apart in refused; with kind, what the (last) one naming it needs there.
 */
void cmd_connector_secret_users(const struct cli_ctx *ctx, const char *id, char *buf, size_t buflen,
                                char *refused, size_t refusedlen, enum store_kind *kind);

/*
 * The secrets the connector was (before an edit, or a delete) named that no
 * saved connector names now, each once: into ids, at most max. Their number.
 */
size_t cmd_connector_unused_secrets(const struct cli_ctx *ctx, const struct connector *was,
                                    char (*ids)[IDENT_SECRET_ID_MAX + 1], size_t max);

/* Those secrets, and the commands that remove them from the store (nothing when n is 0). */
void cmd_connector_print_unused(const struct cli_ctx *ctx, const char (*ids)[IDENT_SECRET_ID_MAX + 1], size_t n);

#endif
