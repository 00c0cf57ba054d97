/*
 * Creating a connector, the same way for `new --non-interactive` and the
 * wizard: the rules of the values and secrets, opening the store to fetch or
 * keep secrets, and saving the secrets and the connector file together.
 */
#ifndef AZ_NEWCONN_H
#define AZ_NEWCONN_H

#include <stdbool.h>

#include "cli.h"
#include "conncheck.h"
#include "fields.h"
#include "ident.h"
#include "store.h"

/* The errors of one run, reported together: "field: message", one a line. */
struct newconn_errors {
	char line[FIELD_COUNT * 2][FIELD_MSG_MAX + 64];
	size_t n;
};

__attribute__((format(printf, 3, 4)))
void newconn_error(struct newconn_errors *e, const char *key, const char *fmt, ...);

/* Where the value of each secret field comes from. */
struct newconn_secrets {
	struct conncheck_secrets v;     /* the values (given, or fetched from the store) */
	bool fresh[FIELD_COUNT];        /* given as a value (file, stdin, typed): to be stored */
	bool named[FIELD_COUNT];        /* its store id was chosen (flag, answers, typed) */
	bool unread[FIELD_COUNT];       /* given, but it could not be read (already reported) */
	bool reused[FIELD_COUNT];       /* given, and held already under its default id: that secret is used */
	bool held[FIELD_COUNT];         /* given, and stored with this value by another run meanwhile: not new */
	const char *from[FIELD_COUNT];  /* where a value was read (a file's name, "standard input"), for
	                                 * its errors; NULL: typed or not given */
	bool replace;                   /* edit: a new value replaces the stored secret of its id */
	const struct connector *base;   /* edit: the connector as saved */
	bool wizard;                    /* messages name the wizard's ways, not flags */
	bool saved;                     /* after newconn_save: the connector's file was written (its
	                                 * folder, or the store's, maybe not synced: an error still) */
	char unsynced[1024];            /* ... and then what was not synced, as said ("" when all was) */
	/* After an edit's newconn_save: the secrets it named before that no saved connector names now. */
	char unused[FIELD_COUNT][IDENT_SECRET_ID_MAX + 1];
	size_t nunused;
	char maybe_unused[512];         /* ... and those a refused connector file may name still, "a, b" */
};

/*
 * The rules of a secret field's value (not empty, no line break or NUL in a
 * text kind, no blank in a token): true, or false with the message.
 */
bool newconn_secret_ok(enum field_id id, const struct secbuf *v, char *msg, size_t msglen);

/* In the wizard (wizard true), a key's "generate one with ssh-keygen" becomes "F3 makes one here". */
void newconn_key_advice(bool wizard, char *msg, size_t msglen);

/* How to check a key's passphrase, given the key's file (a printf format of one %s). */
#define NEWCONN_PASSPHRASE_CHECK "check it with 'ssh-keygen -y -f %s', which prints the public key when it is right"

/*
 * Complete c (defaults, the store ids of new values) and check every rule:
 * the fields, the secrets given, the SSH key. Errors go to e. Returns true
 * when the key can only be checked once the store gave its part
 * (newconn_check_key after newconn_open_store). editing: the identifier of
 * the connector being edited (not a clash with itself), or NULL.
 */
bool newconn_validate(const struct cli_ctx *ctx, const char *editing, struct connector *c,
                      struct newconn_secrets *s, struct newconn_errors *e);
void newconn_check_key(const struct connector *c, const struct newconn_secrets *s, struct newconn_errors *e);

/*
 * Without opening it: when there is no store, each secret c names by id is a
 * field's error in e (the store is not opened when other values are wrong).
 */
void newconn_no_store_errors(const struct cli_ctx *ctx, const struct connector *c,
                             const struct newconn_secrets *s, struct newconn_errors *e);

/*
 * Open the store when needed: to fetch the secrets named by id (into s), or
 * for new values, which must not replace a stored secret (an error in e; not
 * looked at in a dry run). Without a store yet, one is created only when
 * create is set (else *store stays NULL for new values, and naming a stored
 * secret is an error). A store already open (*store) is used as it is.
 * Returns an exit code.
 */
int newconn_open_store(struct cli_ctx *ctx, bool dry_run, bool create, const struct connector *c,
                       struct newconn_secrets *s, struct store **store, struct newconn_errors *e);

/* Is a secret value given (fresh) for a field that applies: something for the store? */
bool newconn_has_new(const struct connector *c, const struct newconn_secrets *s);

/* An edit that changes nothing (no new secret value, its file holds c): it writes nothing, and says so. */
bool newconn_unchanged(const struct cli_ctx *ctx, const char *editing, const struct connector *c,
                       const struct newconn_secrets *s);

/*
 * Save: under the store's lock, the connector file must still be what the
 * run started from (base: the file an edit read; NULL for a new connector,
 * whose identifier must still be free: an error in e, exit code 3), then
 * the new secret values are stored and the connector file written, both or
 * neither. An exit code. With new values and no store open (*store NULL),
 * the store is made now, not before (a test given up on leaves none
 * behind), or opened if another run made it meanwhile, its ids looked at
 * again (what is wrong goes to e, exit code 3).
 */
int newconn_save(struct cli_ctx *ctx, const struct connector *c, const struct connector *base,
                 struct newconn_secrets *s, struct store **store, struct newconn_errors *e);

/*
 * The other saved connectors (not self) that name secret sid, as "a, b" in buf: a new value
 * stored under sid is theirs too.
 */
void newconn_shared_with(const struct cli_ctx *ctx, const char *self, const char *sid, char *buf, size_t buflen);

/*
 * After c was saved: each new value stored under an id other connectors name too (theirs now as
 * well), and each value found under its default id in a secret others use (shared now), said on out.
 */
void newconn_print_shared(const struct cli_ctx *ctx, FILE *out, const struct connector *c,
                          const struct newconn_secrets *s);

/* What `new` or `edit` hands the wizard of the front end (cli_ctx.wizard). */
struct newconn_start {
	struct connector *c;         /* the values to start from (answers, flags); the wizard's own */
	const char *editing;         /* edit: the identifier of the connector edited, else NULL */
	const struct connector *base; /* edit: the connector as read, else NULL */
	struct conncheck_opts check; /* --ca-file, --timeout, --accept-host-key */
	const char *write_answers;   /* --write-answers F, or NULL */
	bool dry_run;                /* check, write nothing */
	bool ascii;                  /* --ascii */
};

/*
 * Can the answers file be written at path: its folder writable, path no
 * folder, none of the program's own files (the store, its key file, known
 * hosts, the draft, the connectors folder), and a file there already an
 * answers file (a JSON object) a run may replace? Asked before anything is
 * saved. false: why, in msg.
 */
bool newconn_answers_path_ok(const struct cli_ctx *ctx, const char *path, char *msg, size_t msglen);

/* The values used, without secrets, as an answers file another run can replay. An exit code. */
int newconn_write_answers(struct cli_ctx *ctx, const char *path, const struct connector *c);

/* The SSH key stored as sid is now key: a public key file kept for the key replaced is removed, and said. */
void newconn_pub_forget(const struct cli_ctx *ctx, const char *sid, const struct secbuf *key,
                        const struct secbuf *passphrase);

/*
 * The folders c is saved in, said before the check (in a dry run too, which says what the real run
 * would): the connectors folder, and the store's when s has values to store. An exit code.
 */
int newconn_dirs_usable(struct cli_ctx *ctx, const struct connector *c, const struct newconn_secrets *s,
                       bool dry_run);

/* The same before the wizard starts, the draft's folder too: a run that could keep nothing is not begun. */
int newconn_dirs_usable_first(struct cli_ctx *ctx);

/*
 * Say on err of each token given (not from the store) that it is shorter than Azure DevOps makes
 * them: for a run that saves without the check (--skip-test), which would have said it.
 */
void newconn_note_short_tokens(FILE *err, const struct connector *c, const struct newconn_secrets *s);

#endif
