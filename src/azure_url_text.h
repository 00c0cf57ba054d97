/* The URL module's look at a URL's text before it is split (azure_url_text.c); not for other modules. */
#ifndef AZ_AZURE_URL_TEXT_H
#define AZ_AZURE_URL_TEXT_H

#include <stddef.h>

/* The longest URL taken: Azure's are far shorter. */
#define AZ_URL_MAX_LEN 2048

/*
 * Checks on the whole text before it is split: each names its fix. -2: a raw
 * space, -3: a query or fragment, -4: a slip at its start, -5: spaces around it, no
 * message. A password, or a user that is not the organization, is refused before any
 * message quotes the text. 0: none of these.
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
 * A password in text (never quoted), or a user name before '@' that is not the
 * organization (Azure's clone URLs put that one there): -1 with the fix; else 0.
 */
int azure_url_text_credentials(const char *text, char *msg, size_t msglen);

#endif
