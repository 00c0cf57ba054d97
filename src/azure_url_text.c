/*
 * The text of an Azure DevOps URL before it is split into parts (azure_url.c's
 * first look): credentials in it, a whole 'git clone' command, a slip at its
 * start, and what else can be judged on the text alone.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure_name.h"
#include "azure_url.h"
#include "azure_url_text.h"
#include "ident.h"
#include "msg.h"

/*
 * The user name's end when text has a password (user:password@host), else
 * NULL. The authority is what follows "scheme://" (the start for scp syntax)
 * up to the first '/'. The password runs from the first ':' to the
 * authority's last '@' (a password may hold '@'), or when the authority has
 * none, to the first '@' further on (a password may hold '/'), unless that
 * ':' starts a port.
 */
static const char *url_password(const char *text, const char **user)
{
	const char *sep = strstr(text, "://");
	const char *rest = sep && sep + 1 == strchr(text, '/') ? sep + 3 : text;
	const char *end = rest + strcspn(rest, "/");
	const char *at = NULL, *colon;
	size_t digits;

	for (const char *c = rest; c < end; c++)
		if (*c == '@')
			at = c;
	if (!at)
		at = strchr(end, '@');
	colon = at ? memchr(rest, ':', (size_t)(at - rest)) : NULL;
	if (!colon)
		return NULL;
	digits = strspn(colon + 1, "0123456789");
	if (at > end && digits > 0 && colon + 1 + digits == end)
		return NULL; /* host:port/...@...: the '@' is in the path */
	*user = rest;
	return colon;
}

/*
 * The user-info of an http(s) URL when it is not the organization (Azure's
 * clone URLs carry that one there: https://contoso@dev.azure.com/contoso/...,
 * also on contoso.visualstudio.com): its start, its length in *len, and in
 * *org whether the host is one of those; else NULL. It would compete with the
 * Username field.
 */
const char *azure_url_http_user(const char *text, size_t *len, bool *org_host)
{
	const char *rest, *end, *at = NULL, *host, *org = NULL;
	size_t hostlen, orglen = 0;

	if (strncasecmp(text, "https://", 8) == 0)
		rest = text + 8;
	else if (strncasecmp(text, "http://", 7) == 0)
		rest = text + 7;
	else
		return NULL;
	end = rest + strcspn(rest, "/?#");
	for (const char *c = rest; c < end; c++)
		if (*c == '@')
			at = c;
	if (!at || at == rest)
		return NULL; /* no user, or '@' alone: the parser names that */
	host = at + 1;
	hostlen = strcspn(host, ":/?#");
	if (hostlen == 13 && strncasecmp(host, "dev.azure.com", 13) == 0 && *end == '/') {
		org = end + 1;
		orglen = strcspn(org, "/?#");
	} else if (hostlen > 17 && strncasecmp(host + hostlen - 17, ".visualstudio.com", 17) == 0) {
		org = host;
		orglen = hostlen - 17;
	}
	if (org && orglen == (size_t)(at - rest) && strncasecmp(rest, org, orglen) == 0)
		return NULL;
	*len = (size_t)(at - rest);
	if (org_host)
		*org_host = org != NULL;
	return rest;
}

/* The user-info of an http(s) URL holds a token (a PAT pasted as the user, as some tools write). */
static bool url_user_token(const char *text)
{
	size_t len;
	const char *user = azure_url_http_user(text, &len, NULL);
	char *copy = user ? strndup(user, len) : NULL;
	bool token = copy && ident_looks_like_token(copy);

	free(copy);
	return token;
}

bool azure_url_has_credentials(const char *text)
{
	const char *user;

	text += strspn(text, " "); /* spaces after it end no part that matters here */
	return url_password(text, &user) != NULL || url_user_token(text);
}

/*
 * A 'git clone [options] URL [folder]' pasted whole (Azure's Clone button
 * gives the command too): the URL in it, quoted when that shows no password.
 * -1, or 0 when text is not such a command.
 */
static int url_clone_command(const char *text, char *msg, size_t msglen)
{
	static const char cmd[] = "git clone";
	char word[AZ_URL_MAX_LEN + 1];

	text += strspn(text, " ");
	if (strncmp(text, cmd, sizeof(cmd) - 1) != 0 || (text[sizeof(cmd) - 1] != ' ' && text[sizeof(cmd) - 1]))
		return 0;
	for (const char *p = text + sizeof(cmd) - 1; *p;) {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		/* The first word that reads as a URL: an option's value (--depth 1) does not. */
		if (n > 0 && n < sizeof(word) && *p != '-' && (memmem(p, n, "://", 3) || memchr(p, '@', n))) {
			snprintf(word, sizeof(word), "%.*s", (int)n, p);
			if (azure_url_has_credentials(word) || azure_name_utf16_len(word) < 0)
				break;
			return msg_fail(msg, msglen, "that is a 'git clone' command: give only its URL, '%s'", word);
		}
		p += n;
	}
	return msg_fail(msg, msglen, "that is a 'git clone' command: give only the URL in it");
}

int azure_url_slip(const char *text, char *fixed, size_t fixedlen)
{
	static const char *const schemes[] = { "https", "http", "ssh" };
	const char *slash = strchr(text, '/'), *at = strchr(text, '@');

	if (strstr(text, "://"))
		return 0;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i]);
		const char *rest = text + n;
		if (strncasecmp(text, schemes[i], n) != 0 || (*rest != ':' && strncmp(rest, "//", 2) != 0))
			continue;
		rest += strspn(rest, ":/");
		if (!*rest)
			return 0;
		if (fixed)
			snprintf(fixed, fixedlen, "%s://%s", schemes[i], rest);
		return 1;
	}
	/* user@host/path, no ':' before the path: scp syntax with its ':' mistyped, for the SSH hosts. */
	if (at && slash && at < slash && !memchr(text, ':', (size_t)(slash - text)) &&
	    ((slash - at - 1 == 17 && strncasecmp(at + 1, "ssh.dev.azure.com", 17) == 0) ||
	     (slash - at - 1 == 23 && strncasecmp(at + 1, "vs-ssh.visualstudio.com", 23) == 0))) {
		if (fixed)
			snprintf(fixed, fixedlen, "%.*s:%s", (int)(slash - text), text, slash + 1);
		return 2;
	}
	return 0;
}

bool azure_url_unwrap(const char *text, char *inner, size_t innerlen, const char **what)
{
	static const struct {
		const char *open, *close, *what;
	} pairs[] = {
		{ "'", "'", "the quotes" }, { "\"", "\"", "the quotes" }, { "`", "`", "the backquotes" },
		{ "<", ">", "the '<' and '>'" }, { "\u201c", "\u201d", "the quotes" }, { "\u2018", "\u2019", "the quotes" },
	};
	size_t len = strlen(text);

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		size_t a = strlen(pairs[i].open), b = strlen(pairs[i].close);

		if (len > a + b && strncmp(text, pairs[i].open, a) == 0 && strcmp(text + len - b, pairs[i].close) == 0) {
			if (inner)
				snprintf(inner, innerlen, "%.*s", (int)(len - a - b), text + a);
			if (what)
				*what = pairs[i].what;
			return true;
		}
	}
	return false;
}

int azure_url_text_credentials(const char *text, char *msg, size_t msglen)
{
	const char *user, *colon = url_password(text, &user);

	/* A password: said, never quoted. */
	if (colon)
		return msg_fail(msg, msglen, "do not put a password or token in the URL: remove ':...' from "
		                "'%.*s:...@' and enter the token as the credential", (int)(colon - user), user);
	/* A token as the user name: the same, and never quoted either. */
	if (url_user_token(text))
		return msg_fail(msg, msglen, "remove the token before '@' from the URL (not shown): a token goes "
		                "only in its own field, never in a URL; revoke it if it was shown or logged");
	return 0;
}

int azure_url_precheck(const char *text, char *msg, size_t msglen)
{
	size_t len = strlen(text), userlen;

	if (len == 0)
		return msg_fail(msg, msglen, "enter the URL, e.g. https://dev.azure.com/contoso/Payments");
	if (len > AZ_URL_MAX_LEN)
		return msg_fail(msg, msglen, "the URL is %zu bytes long: Azure URLs are far shorter "
		                "(at most %d)", len, AZ_URL_MAX_LEN);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return msg_fail(msg, msglen, "the URL contains a control character (a tab or a "
			                "line break?): remove it");
	if (url_clone_command(text, msg, msglen))
		return -1;
	if (text[0] == ' ' || text[len - 1] == ' ')
		return -5; /* url_trimmed names the fix */
	if (azure_url_unwrap(text, NULL, 0, NULL))
		return -7; /* url_unwrapped names the fix */
	/* A paste onto the URL there: no fix joins them (a space between would become "%20"). */
	const char *scheme = strstr(text, "://");
	if (scheme && strstr(scheme + 3, "://"))
		return msg_fail(msg, msglen, "there are two URLs here (one pasted onto another?): keep one (in the "
		                "wizard, Ctrl-U clears the field)");
	if (azure_name_utf16_len(text) < 0)
		return msg_fail(msg, msglen, "the URL is not valid UTF-8");
	if (azure_url_slip(text, NULL, 0))
		return -4; /* url_slipped names the fix ("ssh:/git@..." is no password) */
	if (azure_url_text_credentials(text, msg, msglen))
		return -1;
	if (azure_url_http_user(text, &userlen, NULL))
		return -6; /* url_username names the fix */
	if (strchr(text, ' '))
		return -2; /* url_spaces names the fix */
	if (strstr(text, "$/") || strcasestr(text, "%24/") || strcasestr(text, "_versionControl"))
		return msg_fail(msg, msglen, "TFVC paths ($/...) are not Git repositories: use the URL "
		                "of a Git repository (.../_git/<repo>)");
	if (strpbrk(text, "?#"))
		return -3; /* url_query names the fix */
	return 0;
}
