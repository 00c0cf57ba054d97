/*
 * Connector files (DESIGN.md §3): one JSON object per connector in
 * <connectors_dir>/<identifier>.json, mode 0600, written atomically:
 *   {"schema": 1, "name": "...", "url-type": "repo", "tags": ["a:b"],
 *    "api-access": false, "token-secret": "<store id>", ...}
 * Keys are the field keys (fields.h); a secret field is "<key>-secret" with
 * the secret's store id (never a value); toggles are JSON booleans, lists
 * arrays of strings, everything else a string. Only the fields that apply
 * are written. Reading is strict: unknown, duplicate, mistyped or missing
 * required keys are refused with the file and the key named.
 */
#ifndef AZ_CONNECTOR_FILE_H
#define AZ_CONNECTOR_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "connector.h"

#define CONNECTOR_FILE_SCHEMA 1
#define CONNECTOR_FILE_MAX (64 * 1024) /* bytes: larger is not a connector file */

enum connector_file_rc {
	CONNECTOR_FILE_OK,
	CONNECTOR_FILE_MISSING, /* no such connector */
	CONNECTOR_FILE_BAD,     /* the file is refused: not a valid connector file */
	CONNECTOR_FILE_IO,      /* it could not be read */
};

/* Would a and b write the same connector file? */
bool connector_file_same(const struct connector *a, const struct connector *b);

/* Is <dir>/<identifier>.json already exactly what c would write? */
bool connector_file_holds(const char *dir, const struct connector *c);

/* Is key one of a connector or answers file's keys ("schema", a field's, "<secret>-secret")? */
bool connector_file_key_known(const char *key);

/* "<dir>/<id>.json" (malloc'ed, NULL when out of memory). */
char *connector_file_path(const char *dir, const char *id);

/* Is there a file (or anything else) named <dir>/<id>.json? */
bool connector_file_exists(const char *dir, const char *id);

/* The JSON object of the file for c (NULL: no memory). */
cJSON *connector_file_json(const struct connector *c);

/* The text of the file for c, ending with a newline (malloc'ed; NULL: no memory). */
char *connector_file_text(const struct connector *c);

/*
 * Read a connector from the text of a file (len bytes, NUL-terminated); name
 * (the file) starts every message. NULL with the message when refused.
 */
struct connector *connector_file_parse(const char *text, size_t len, const char *name,
                                       char *msg, size_t msglen);

/* The file key of a field: its key, or "<key>-secret" for a secret. */
struct field;
void connector_file_key(const struct field *f, char *buf, size_t buflen);

/*
 * The keys c holds for fields that do not apply to it (a file edited by hand: a username on an
 * SSH connector), as "'username' (only used with connection http), ..." in out: how many.
 */
size_t connector_file_unused_keys(const struct connector *c, char *out, size_t outlen);

/*
 * An answers file (`new --answers`): the same keys, types and refusals as a
 * connector file, but every key optional ("schema" too), as flags and
 * defaults complete it. Every fault is told, one a line in msg.
 */
struct connector *connector_file_parse_answers(const char *text, size_t len, const char *name,
                                               char *msg, size_t msglen);

/*
 * The wizard's draft: an answers file, and the path of the SSH key file when
 * the key was given as one (a path, never the key), under this key; the
 * fingerprint and comment of the public key of an SSH key made in that run
 * (lost with it: only the public key may be in Azure DevOps), under the
 * next; an edit's draft also holds the sum of the connector it changes
 * (base) and its values then: changes are never offered as they are on a
 * connector changed since, but over what was saved there (only the fields
 * the draft changed are its own).
 */
#define CONNECTOR_FILE_DRAFT_KEY_FILE "ssh-key-file"
#define CONNECTOR_FILE_DRAFT_KEY_MADE "ssh-key-made"
#define CONNECTOR_FILE_DRAFT_BASE "edit-of"
#define CONNECTOR_FILE_DRAFT_BASE_VALUES "edit-of-values"
/* A CA file given on the test page (C): trusted again when the test runs again. */
#define CONNECTOR_FILE_DRAFT_CA_FILE "ca-file"
/*
 * Where the wizard was (a dropped session comes back there): the page, by its
 * title ("Credentials", or "Review" past the form pages), and the item it had
 * in focus there, by its file key ("url"; a secret's value "token", its store
 * id "token-secret").
 */
#define CONNECTOR_FILE_DRAFT_PAGE "wizard-page"
#define CONNECTOR_FILE_DRAFT_FOCUS "wizard-focus"
#define CONNECTOR_FILE_DRAFT_REVIEW FIELD_PAGE_COUNT
struct connector_draft_at {
	int page;  /* enum field_page, CONNECTOR_FILE_DRAFT_REVIEW, or -1: none */
	int field; /* enum field_id of the focused item, or -1: none */
	bool sid;  /* the focus is on that secret's store id */
};
#define CONNECTOR_FILE_DRAFT_NOWHERE ((struct connector_draft_at){ .page = -1, .field = -1 })

/*
 * The extras of a draft, each NULL when the draft has none (malloc'ed when
 * read). A place this version does not know (a page or focus of another
 * name, a focus not on that page, not a string) is none, as an extra of the
 * wrong type is: the draft's values are still offered.
 */
struct connector_draft {
	char *key_file;
	char *key_made; /* "SHA256:... comment" */
	char *base;     /* connector_file_sum of the connector an edit changes */
	struct connector *base_values; /* ... and its values (connector_file_json) */
	char *ca_file;
	struct connector_draft_at at; /* .page -1: no place */
};
/* The draft of c with the extras of x (NULL: none). */
char *connector_file_draft_text(const struct connector *c, const struct connector_draft *x);
struct connector *connector_file_parse_draft(const char *text, size_t len, const char *name,
                                             struct connector_draft *d, char *msg, size_t msglen);
void connector_file_draft_free(struct connector_draft *d);

/* A short sum (hex) of what c's connector file holds: two connectors alike have the same one. */
#define CONNECTOR_FILE_SUM_LEN 32
bool connector_file_sum(const struct connector *c, char sum[CONNECTOR_FILE_SUM_LEN + 1]);

/*
 * Can connectors be saved in dir (made if need be) and read back: dir, or
 * the folder it would be made in, and those above, folders writable by no
 * one else? false: why (and the command that fixes it) in msg.
 */
bool connector_file_dir_safe(const char *dir, char *msg, size_t msglen);

/* The same for reading only: dir and those above writable by no one else (dir may be read-only). */
bool connector_file_dir_trusted(const char *dir, char *msg, size_t msglen);

/*
 * Only the user may change a connector, or a draft (and their folders): whoever else could would
 * point it at another host, and the next check would send the token there. As OpenSSH judges its
 * files. st: the file's, as opened. false: why, with the fix, in msg.
 */
bool connector_file_safe(const char *path, const struct stat *st, char *msg, size_t msglen);

/*
 * Read the connector (or draft) file path, judged as connector_file_safe does. MISSING when it is
 * not there (msg untouched); refused (BAD) or unreadable (IO): why, with the fix, in msg.
 */
enum connector_file_rc connector_file_read(const char *path, char **text, size_t *len, struct stat *st, char *msg,
                                           size_t msglen);

/*
 * Load connector id from dir: its identifier must be id. On failure the
 * message says what is wrong and where (for MISSING, where it looked).
 */
/*
 * id, not an identifier, is the name of a file in dir ("my-conn.json"): "; the file ... is named
 * so: rename it ..." in out, else "".
 */
void connector_file_misnamed(const char *dir, const char *id, char *out, size_t outlen);

enum connector_file_rc connector_file_load(const char *dir, const char *id, struct connector **out,
                                           char *msg, size_t msglen);

/*
 * Write c to <dir>/<identifier>.json atomically (the folder created 0700 if
 * needed; the file 0600, read back and parsed before it replaces the old one).
 * 0, or -1 with the message; -2 when the file was written but its folder
 * could not be synced (the message says so). Unless replace, a file already
 * there (another run saved that identifier meanwhile) is kept: -1, errno EEXIST.
 */
int connector_file_save(const char *dir, const struct connector *c, bool replace, char *msg, size_t msglen);

/*
 * The identifiers of the files "<id>.json" in dir (dot files skipped), sorted;
 * a missing dir has none. Free with connector_file_free_ids. 0, or -1 with errno.
 */
int connector_file_ids(const char *dir, char ***ids, size_t *n);
void connector_file_free_ids(char **ids, size_t n);

/*
 * Remove <dir>/<id>.json durably (and temp files a crash left). 0; -1 with errno (not removed);
 * -2 with errno: removed, but its folder could not be synced (a power loss may bring it back).
 */
int connector_file_remove(const char *dir, const char *id);

#endif
