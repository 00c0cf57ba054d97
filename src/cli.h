/* The command line: global options, the command table, dispatch. */
#ifndef AZ_CLI_H
#define AZ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ident.h"
#include "paths.h"

struct secbuf;
struct newconn_start;

struct cli_ctx {
	FILE *out;              /* results (stdout) */
	FILE *err;              /* messages (stderr) */
	bool stdin_tty;         /* stdin is a terminal */
	bool stdout_tty;        /* stdout is a terminal */
	const char *home;       /* --home DIR, or NULL */
	const char *key_file;   /* --key-file F (store unlock), or NULL */
	char key_file_abs[4096];/* key_file when given relative: from / (the commands printed work anywhere) */
	bool key_file_made;     /* this run made key_file for a new store (said again at the wizard's end) */
	bool lock_checked;      /* the limit on locked memory was looked at (and said if too low): once a run */
	const char *self;       /* how printed commands name the program (cli_self_name), or NULL */
	bool no_command;        /* none was named: 'new' runs (its name is not the user's word) */
	struct az_paths paths;  /* resolved before any command runs */
	/* How a passphrase is asked: NULL is secbuf_read_tty on /dev/tty; the wizard asks in its window. */
	struct secbuf *(*ask_secret)(void *user, const char *prompt, size_t max);
	void *ask_user;
	/* The interactive wizard (ui/), set by main(): NULL where there is none (the unit tests). */
	int (*wizard)(struct cli_ctx *ctx, struct newconn_start *start);
	/* The option an unknown word[0..len) names by another name the command knows, into buf; NULL: none. */
	const char *(*guess_option)(const char *word, size_t len, char *buf, size_t buflen);
	/* The values option --name takes, as its help writes them ("true|false"), into buf; NULL: any. */
	const char *(*option_values)(const char *name, char *buf, size_t buflen);
};

struct cli_command {
	const char *name;
	const char *args;       /* synopsis after the name, e.g. "ID [--json]" */
	const char *summary;    /* one line for --help */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv); /* argv[0] is the name */
	void (*usage)(FILE *out); /* the full --help of the command, or NULL: synopsis and summary */
};

/*
 * How a command printed for the user to copy names this program: "azrepos-connect"
 * when that is what PATH finds first, else its absolute path (run from a build
 * folder, as the quick start does), so that it works pasted anywhere. malloc'ed.
 */
char *cli_self_name(void);

/* Run the program: argv as main() got it. Returns the exit code. */
int cli_main(struct cli_ctx *ctx, int argc, char **argv);

/* The command table (NULL-name terminated). */
extern const struct cli_command cli_commands[];

/* A command's --help: its usage function, else "Usage: azrepos-connect NAME ARGS" and the summary. */
void cli_command_usage(const struct cli_ctx *ctx, const char *name, FILE *stream);

/*
 * The start of a command this run suggests, to copy and paste into a shell:
 * "azrepos-connect" with this run's --home and (key_file: the command opens
 * the store) --key-file, quoted if need be.
 */
void cli_print_program(const struct cli_ctx *ctx, FILE *out, bool key_file);

/* The same in buf (len: CLI_PROGRAM_MAX), for a command inside a message. */
#define CLI_PROGRAM_MAX 8400
const char *cli_program(const struct cli_ctx *ctx, bool key_file, char *buf, size_t len);

/* " opt value" in buf, value quoted for a shell if need be, for an option of such a command. */
const char *cli_arg(const char *opt, const char *value, char *buf, size_t len);

/*
 * A word of such a command in buf, quoted if need be: a connector's identifier
 * may hold '$' ('Web$1'), which a shell would expand.
 */
#define CLI_WORD_MAX (4 * IDENT_ID_MAX + 3)
const char *cli_word(const char *value, char *buf, size_t len);

/* cli_getopt's "go on" result; every other result is an exit code. */
#define CLI_CONTINUE (-1)

/*
 * Parse a command's options with getopt_long (reset first; argv[0] is the
 * command name; shortopts may be NULL, 'h' is added). -h/--help prints the command's usage and returns 0; an
 * unknown option or a missing argument returns AZ_EXIT_USAGE after a message.
 * on_opt receives every other option and returns CLI_CONTINUE or an exit code
 * to stop with. Returns CLI_CONTINUE with optind at the first operand.
 * An option with a value given twice is a usage error (which one was meant?),
 * unless its val is CLI_OPT_REPEATS or more: on_opt judges those.
 */
#define CLI_OPT_REPEATS 0x2000
struct option;
int cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
               const struct option *longopts,
               int (*on_opt)(struct cli_ctx *ctx, int opt, const char *arg, void *user),
               void *user);

/* A command that needs exactly n operands: usage error otherwise. */
int cli_want_operands(struct cli_ctx *ctx, int argc, char **argv, int n);

/*
 * --output text|json (arg) or --json (arg NULL), as new and test take them: *json set. given
 * keeps which were seen: the two asking for two formats is a usage error (the same twice is not).
 */
struct cli_output {
	bool json;
	bool output_given, json_given;
};
int cli_output_opt(struct cli_ctx *ctx, const char *cmd, const char *arg, struct cli_output *o);

#endif
