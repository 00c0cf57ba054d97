/*
 * Validators of field values that are neither Harness identifiers (ident.h)
 * nor Azure URLs and names (azure_url.h). Each returns true, or false with a
 * one-line message naming the fix in msg.
 */
#ifndef AZ_VALIDATE_H
#define AZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define VALIDATE_TAG_MAX 128          /* characters of one tag or delegate tag */
#define VALIDATE_DESCRIPTION_MAX 1024 /* characters of a description */
#define VALIDATE_USERNAME_MAX 256

/* A description: at most 1024 characters, no control characters but newlines and tabs. */
bool validate_description(const char *text, char *msg, size_t msglen);

/* Tags (a list, strlist.h): each `key` or `key:value`, no key twice. */
bool validate_tags(const char *list, char *msg, size_t msglen);

/* Delegate tags (a list): no spaces or control characters, none twice. */
bool validate_delegate_tags(const char *list, char *msg, size_t msglen);

/* A git username for HTTP: not empty, no spaces, control characters or ':'. */
bool validate_username(const char *text, char *msg, size_t msglen);

/*
 * A Personal Access Token as given: not blank; not what is often copied with
 * or for one (an Authorization value, a URL, another forge's token, an SSH
 * key, quotes, blanks, "user:token", characters no token has). Messages never
 * quote it.
 */
bool validate_token(const char *text, char *msg, size_t msglen);

/* The length of Azure DevOps's tokens (84 in the new form): a shorter one was likely cut when copied. */
#define VALIDATE_PAT_LEN 52

/*
 * A token of len characters, shorter than that: true, with a note saying so. A note, never an
 * error: a server's password may be given there.
 */
bool validate_token_short(size_t len, char *msg, size_t msglen);

/* Is text a private key's (-----BEGIN ... PRIVATE KEY-----), as a key file holds it? */
bool validate_is_private_key(const char *text);

/*
 * Does text hold a piece of a key: its armour line, or a run of 60 or more base64 characters that
 * look random (a key's line, pasted where a name goes by a terminal that split it into lines)?
 * Never shown or kept in a draft then. A hex digest, a long name or a word held down is not.
 */
bool validate_looks_like_key_text(const char *text);

#endif
