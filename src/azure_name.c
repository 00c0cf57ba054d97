/*
 * Azure DevOps project and repository names (azure-facts.md §1.3): the naming
 * rules, their length as Azure counts it, and percent-encoding for URL paths.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure_name.h"
#include "azure_url.h"
#include "hex.h"
#include "msg.h"
#include "strbuf.h"
#include "utf8.h"

#define AZ_NAME_MAX 64

static const char az_forbidden[] = "/:\\~&%;@'\"?<>|#$*}{,+=[]";

/* Reserved for every name (device names), then for projects only. */
static const char *const az_reserved_all[] = {
	"PRN", "CON", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM10",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
	NULL,
};
static const char *const az_reserved_project[] = {
	"SERVER", "SignalR", "DefaultCollection", "Web",
	"App_Browsers", "App_code", "App_Data", "App_GlobalResources",
	"App_LocalResources", "App_Themes", "App_WebResources", "bin", "web.config",
	NULL,
};

static bool az_keep(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!()", c) != NULL);
}

void azure_name_encode_to(struct strbuf *b, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (az_keep(*p)) {
			strbuf_addn(b, (const char *)p, 1);
		} else {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			strbuf_addn(b, e, 3);
		}
	}
}

char *azure_name_encode(const char *name)
{
	struct strbuf b = { 0 };

	strbuf_addn(&b, "", 0);
	azure_name_encode_to(&b, name);
	return b.s;
}

char *azure_name_decode(const char *text, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '%') {
			if (len - i < 3 || hex_digit(text[i + 1]) < 0 || hex_digit(text[i + 2]) < 0)
				goto bad;
			c = (char)(hex_digit(text[i + 1]) << 4 | hex_digit(text[i + 2]));
			if (c == '\0')
				goto bad;
			i += 2;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

long azure_name_utf16_len(const char *s)
{
	long n = 0;

	for (size_t len; *s; s += len) {
		len = utf8_char_len(s);
		if (len == 1 && (unsigned char)*s >= 0x80)
			return -1; /* not UTF-8 */
		n += len == 4 ? 2 : 1; /* beyond the BMP: two UTF-16 units */
	}
	return n;
}

bool azure_name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(name, *list) == 0)
			return true;
	return false;
}

/* Does a name look like a URL someone pasted instead of the name? */
static bool az_looks_like_url(const char *name)
{
	const char *at = strchr(name, '@');

	return strstr(name, "://") || (at && strchr(at, ':')) || strstr(name, "_git/") ||
	       strncasecmp(name, "dev.azure.com/", 14) == 0;
}

bool azure_name_rules(const char *name, enum azure_name_kind kind, char *msg, size_t msglen)
{
	const char *what = kind == AZURE_NAME_PROJECT ? "project" : "repository";
	size_t len = name ? strlen(name) : 0;
	const char *bad;
	long n;

	if (len == 0)
		return msg_fail(msg, msglen, "enter the %s name", what) == 0;
	n = azure_name_utf16_len(name);
	if (n < 0)
		return msg_fail(msg, msglen, "the %s name is not valid UTF-8", what) == 0;
	if (utf8_has_control(name))
		return msg_fail(msg, msglen, "the %s name contains a control character: remove it",
		                what) == 0;
	if (name[0] == ' ' || name[len - 1] == ' ')
		return msg_fail(msg, msglen, "remove the space at the %s of the %s name",
		                name[0] == ' ' ? "start" : "end", what) == 0;
	bad = strpbrk(name, az_forbidden);
	if (bad)
		return msg_fail(msg, msglen, "remove '%c' from the %s name: Azure names cannot contain "
		                "/ : \\ ~ & %% ; @ ' \" ? < > | # $ * { } , + = [ ]", *bad, what) == 0;
	if (name[0] == '_')
		return msg_fail(msg, msglen, "remove the leading '_' from the %s name '%s': Azure "
		                "names cannot start with '_'", what, name) == 0;
	if (name[0] == '.' || name[len - 1] == '.')
		return msg_fail(msg, msglen, "remove the %s '.' from the %s name '%s': Azure names "
		                "cannot start or end with '.'", name[0] == '.' ? "leading" : "trailing",
		                what, name) == 0;
	if (n > AZ_NAME_MAX)
		return msg_fail(msg, msglen, "shorten the %s name: it is %ld characters long, Azure "
		                "allows at most %d", what, n, AZ_NAME_MAX) == 0;
	if (azure_name_in(name, az_reserved_all) ||
	    (kind == AZURE_NAME_PROJECT && azure_name_in(name, az_reserved_project)))
		return msg_fail(msg, msglen, "'%s' is a reserved name in Azure DevOps: choose another "
		                "%s name", name, what) == 0;
	return true;
}

bool azure_name_check(const char *name, enum azure_name_kind kind, char *msg, size_t msglen)
{
	const char *what = kind == AZURE_NAME_PROJECT ? "project" : "repository";
	size_t len = name ? strlen(name) : 0;

	if (len > 0 && az_looks_like_url(name)) {
		struct azure_url u;
		bool ok = azure_url_parse(name, &u, NULL, 0) == 0;
		const char *in_url = !ok ? NULL : kind == AZURE_NAME_PROJECT ? u.project : u.repo;

		/* Quoted only when taken from the URL: the wizard offers a quoted name as the fix. */
		if (in_url)
			msg_fail(msg, msglen, "give the %s name, e.g. \"%s\", not its URL", what, in_url);
		else
			msg_fail(msg, msglen, "give the %s name (such as %s), not a URL", what,
			         kind == AZURE_NAME_PROJECT ? "Payments" : "web");
		if (ok)
			azure_url_free(&u);
		return false;
	}
	return azure_name_rules(name, kind, msg, msglen);
}
