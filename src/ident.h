/*
 * Harness names and identifiers (azure-facts.md §2): the connector's name and
 * identifier, org and project identifiers, and the ids of secrets, which are
 * both secret store ids and Harness secret identifiers.
 */
#ifndef AZ_IDENT_H
#define AZ_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#define IDENT_NAME_MAX 64       /* characters of a name */
#define IDENT_ID_MAX 128        /* characters of an identifier */
#define IDENT_SECRET_ID_MAX 64  /* characters of a secret id */

/* A name: at most 64 characters of `^[A-Za-z0-9_.-][A-Za-z0-9 _.-]*$`. */
bool ident_check_name(const char *name, char *msg, size_t msglen);

/*
 * An identifier: `^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$` and not a Harness keyword.
 * what names the thing in messages ("identifier", "organization identifier").
 */
bool ident_check_identifier(const char *id, const char *what, char *msg, size_t msglen);

/* One of the reserved words of the Harness backend, UI and docs (case-sensitive). */
bool ident_is_reserved(const char *word);

/*
 * The identifier the Harness UI derives from a name (trim, drop characters
 * outside [0-9a-zA-Z_$ ], runs of spaces to '_'), then made valid: a leading
 * digit or '$' gets a '_' in front, a keyword gets one behind, at most 128
 * characters; when the letters and digits run together would look like a
 * token, its '.' and '-' become '_' too. "" when the name has nothing usable.
 * buflen >= IDENT_ID_MAX + 1.
 */
void ident_from_name(const char *name, char *buf, size_t buflen);

/*
 * A secret id, used as the secret store id and as the Harness secret
 * identifier in references: `^[a-z][a-z0-9_-]{0,63}$` (the store's rule
 * `^[a-z0-9][a-z0-9._-]{0,63}$` narrowed so that the Harness reference
 * "org.<id>" stays unambiguous and valid), and not a keyword.
 */
bool ident_check_secret_id(const char *id, char *msg, size_t msglen);

/*
 * A store id typed in capitals ("Payments-token"): id in lower case into buf,
 * when it has capitals and fits in buflen bytes (not every 64 characters do);
 * false otherwise.
 */
bool ident_lower(const char *id, char *buf, size_t buflen);

/* The characters of an Azure DevOps PAT (either form). */
#define IDENT_TOKEN_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/*
 * Does text hold what looks like an Azure DevOps PAT (given where an id, a name or a tag goes)?
 * Never quote it, show it or keep it then.
 */
bool ident_looks_like_token(const char *text);

/* Said of a file to make whose name looks like a token: it would stay in every listing of its folder. */
#define IDENT_TOKEN_AS_PATH "that looks like a token, not a file name (not shown): revoke it, it may be in the " \
	"shell's history"

/* The first run of text that looks like a token (its length in *len), or NULL. */
const char *ident_token_run(const char *text, size_t *len);

/*
 * Every run of text that looks like a token replaced, in place, by
 * IDENT_TOKEN_WITHHELD: the last guard of what is said (a token given where a
 * path or an id goes is quoted by no message).
 */
#define IDENT_TOKEN_WITHHELD "(a token, not shown)"
void ident_redact_tokens(char *text);

/*
 * The default secret id of a connector's secret: "<identifier>-<suffix>"
 * lower-cased, '$' and leading characters other than a-z dropped ("connector"
 * when nothing is left), shortened to fit 64 characters. Always valid for a
 * suffix of [a-z-]. buflen >= IDENT_SECRET_ID_MAX + 1.
 */
void ident_secret_id(const char *identifier, const char *suffix, char *buf, size_t buflen);

#endif
