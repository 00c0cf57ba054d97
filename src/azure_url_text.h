/* The URL module's look at a URL's text before it is split (azure_url_text.c); not for other modules. */
#ifndef AZ_AZURE_URL_TEXT_H
#define AZ_AZURE_URL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The longest URL taken: Azure's are far shorter. */
#define AZ_URL_MAX_LEN 2048

/*
 * Checks on the whole text before it is split: each names its fix. -2: a raw
 * space, -3: a query or fragment, -4: a slip at its start, -5: spaces around it,
 * -6: a user name that is not the organization, -7: quotes around it, no message. A password, or a
 * token as the user, is refused before any message quotes the text. 0: none of these.
 */
int azure_url_precheck(const char *text, char *msg, size_t msglen);

/*
 * A slip at the URL's start: "https:/h", "https:h" or "https//h" (the same for
 * http and ssh), or "git@ssh.dev.azure.com/v3/..." ('/' for scp syntax's ':').
 * 0 when none; else 1 (the scheme) or 2 (the SSH host's ':'), the URL meant in
 * fixed when fixed is given.
 */
int azure_url_slip(const char *text, char *fixed, size_t fixedlen);

/*
 * Text between quotes or angle brackets, as a chat or a document gives a URL ('...', "...",
 * `...`, <...>, the typographic quotes): true, the text inside in inner, and in *what what
 * to remove ("the quotes"), each when given.
 */
bool azure_url_unwrap(const char *text, char *inner, size_t innerlen, const char **what);

/* A password in text, or a token as its user name (never quoted): -1 with the fix; else 0. */
int azure_url_text_credentials(const char *text, char *msg, size_t msglen);

/*
 * The user-info of an http(s) URL when it is not the organization (Azure's
 * clone URLs put that one there): its start, its length in *len, and in
 * *org_host (when given) whether the host is one that takes the organization
 * there (dev.azure.com, *.visualstudio.com); else NULL.
 */
const char *azure_url_http_user(const char *text, size_t *len, bool *org_host);

#endif
