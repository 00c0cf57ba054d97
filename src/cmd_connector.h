/* What the commands on saved connectors share with other commands (test, edit). */
#ifndef AZ_CMD_CONNECTOR_H
#define AZ_CMD_CONNECTOR_H

#include "cli.h"
#include "connector.h"

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

#endif
