/*
 * The connectivity check of a connector: the bridge from the model (fields,
 * Azure URL) and its secrets to the probes of check.h. Used by `test ID`,
 * `new` and the wizard, so they all check the same way.
 */
#ifndef AZ_CONNCHECK_H
#define AZ_CONNCHECK_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "cli.h"
#include "fields.h"
#include "secbuf.h"

struct connector;

/* The values of the connector's secret fields, indexed by field id (NULL: none). */
struct conncheck_secrets {
	struct secbuf *val[FIELD_COUNT];
};

struct conncheck_opts {
	const char *ca_file;         /* --ca-file */
	int timeout_ms;              /* --timeout; <= 0: 30 s */
	const char *accept_host_key; /* --accept-host-key SHA256:... */
	const char *known_hosts;     /* the tool's known_hosts file (paths.known_hosts) */
	/* When a key accepted with accept_host_key is recorded: see conncheck_record_host_key. */
	bool dry_run;                /* new --dry-run: never, nothing is written */
	bool record_only_if_passed;  /* new: only with every probe passed (a failed check saves nothing) */
};

/* The check's command-line options, shared by `test` and `new`. */
enum {
	CONNCHECK_OPT_TIMEOUT = 0x1000,
	CONNCHECK_OPT_CA_FILE,
	CONNCHECK_OPT_ACCEPT_HOST_KEY,
};
#define CONNCHECK_LONGOPTS \
	{ "timeout", required_argument, NULL, CONNCHECK_OPT_TIMEOUT }, \
	{ "ca-file", required_argument, NULL, CONNCHECK_OPT_CA_FILE }, \
	{ "accept-host-key", required_argument, NULL, CONNCHECK_OPT_ACCEPT_HOST_KEY }
#define CONNCHECK_USAGE \
	"  --timeout S             give up after S seconds (1 to 600, default 30)\n" \
	"  --ca-file F             trust the CA certificates in F (PEM), not the system's\n" \
	"  --accept-host-key FP    trust this SSH host key (SHA256:...) and record it\n"

/* Room for an option's message: it may name a file twice (the DER hint), each quoted as a word. */
#define CONNCHECK_MSG_MAX (3 * CLI_WORD_MAX + 256)

/*
 * Apply option opt (one of CONNCHECK_OPT_*) with its argument: 1 when taken,
 * 0 when opt is not a check option, -1 for a bad value (message in msg).
 */
int conncheck_parse_opt(struct conncheck_opts *opts, int opt, const char *arg, char *msg,
                        size_t msglen);

/*
 * Will path do as a CA file (--ca-file, the wizard's C)? 0 when it is a regular file with a PEM
 * certificate in it; 1 with why saying what it is instead ("that is a private key, not a CA
 * certificate"), which libcurl would only report as a file it cannot load; -1 with errno when it
 * cannot be read.
 */
int conncheck_ca_file_check(const char *path, char *why, size_t whylen);

struct store;

/*
 * Fetch from store the secrets of c's applicable secret fields (by the store
 * ids c holds) into s. 0, or the store's exit code with the message in msg
 * (a missing one, or store NULL when there is none, says how to store it:
 * program is "azrepos-connect [--home D]");
 * AZ_EXIT_INVALID for an id that looks like a token (never looked up or quoted).
 */
int conncheck_load_secrets(const struct connector *c, struct store *store, const char *program,
                           struct conncheck_secrets *s, char *msg, size_t msglen);

/* Does the check of c go over HTTPS (git over HTTP, or the API), where a CA file counts? */
bool conncheck_uses_https(const struct connector *c);

/*
 * Check connector c with its secrets (progress as in check_run): results in res (room for
 * CHECK_MAX_PROBES), their number in *n. An unknown host key accepted with
 * accept_host_key is then recorded by conncheck_record_host_key. Returns 0
 * when the check ran (look at the results), -1 when it could not (bad URL, a
 * secret missing, no memory, the key not recorded) with the reason in msg.
 */
int conncheck_run(const struct connector *c, const struct conncheck_secrets *s,
                  const struct conncheck_opts *opts, check_progress_fn progress, void *user,
                  struct check_result *res, size_t *n, char *msg, size_t msglen);

/*
 * Add to opts->known_hosts (if set) the host key of host:port that res accepted
 * with accept_host_key. By default as soon as the SSH probe got past the host
 * key, whatever failed after it: the user vouched for that key (`test ID
 * --accept-host-key`, the wizard's "trust the host key", which says it is
 * recorded), and the next run then reports the remaining fault, not the key
 * again. Never with opts->dry_run; with opts->record_only_if_passed only when
 * every probe passed, since `new` then saves nothing else of the run. 0 (also
 * when there is nothing to record), or -1 with the reason in msg.
 */
int conncheck_record_host_key(const struct conncheck_opts *opts, const char *host, int port,
                              const struct check_result *res, size_t n, char *msg, size_t msglen);

/*
 * conncheck_record_host_key for c's SSH host (nothing for an HTTP connector):
 * for a caller that ran conncheck_run with opts->dry_run set and records once
 * what it saves is saved.
 */
int conncheck_record(const struct connector *c, const struct conncheck_opts *opts,
                     const struct check_result *res, size_t n, char *msg, size_t msglen);

/* Wipe and free every secret (the struct itself stays). */
void conncheck_secrets_clear(struct conncheck_secrets *s);

#endif
