/* The commands of the command line; each file cmd_*.c implements a few. */
#ifndef AZ_CMD_H
#define AZ_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "secbuf.h"

struct connector;

int cmd_new(struct cli_ctx *ctx, int argc, char **argv);
int cmd_edit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_delete(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_test(struct cli_ctx *ctx, int argc, char **argv);
int cmd_secret(struct cli_ctx *ctx, int argc, char **argv);

/*
 * "  azrepos-connect [--home H] [--key-file F] secret get ID [--pem] --to-file ID.pem":
 * the command that gives Harness a key made here, as this run would type it,
 * on a line of its own (a command to copy, after a line saying what for).
 */
void cmd_secret_print_get(const struct cli_ctx *ctx, FILE *out, const char *id, bool pem);

/*
 * For the Harness SSH credential of the SSH key stored as id (what: "its SSH
 * key", "The key"), when key is not in the PEM form Harness takes: the
 * commands that write it in that form, after a line saying so. Nothing for a
 * PEM key.
 */
void cmd_secret_print_pem_hint(const struct cli_ctx *ctx, FILE *out, const char *what, const char *id,
                               const struct secbuf *key, const struct connector *c);

/* The user of a Harness SSH credential for c's key (NULL: none known): the one its URL logs in as. */
void cmd_secret_ssh_user(const struct connector *c, char *buf, size_t buflen);

/* Full --help texts of the commands that have many options. */
void cmd_new_usage(FILE *out);
/* help FIELD: what new --help says of the field a word names (any of its names), with its help. */
bool cmd_new_field_help(FILE *out, const char *word);
void cmd_edit_usage(FILE *out);
void cmd_test_usage(FILE *out);
void cmd_secret_usage(FILE *out);

#endif
