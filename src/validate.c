#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "ident.h"
#include "strlist.h"
#include "utf8.h"
#include "validate.h"

/* The first control character of s[0..len) (a newline and a tab allowed if told), or NULL. */
static const char *validate_control(const char *s, size_t len, bool allow_newline)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c == 0x7f) && !(allow_newline && (c == '\n' || c == '\t')))
			return s + i;
	}
	return NULL;
}

bool validate_description(const char *text, char *msg, size_t msglen)
{
	char what[48];
	size_t n = utf8_count(text);
	const char *bad = validate_control(text, strlen(text), true);

	if (n > VALIDATE_DESCRIPTION_MAX) {
		snprintf(msg, msglen, "a description can be at most %d characters long (this one has %zu): "
		         "shorten it", VALIDATE_DESCRIPTION_MAX, n);
		return false;
	}
	if (bad) {
		snprintf(msg, msglen, "%s is not allowed in a description: remove it",
		         utf8_describe(bad, what, sizeof(what)));
		return false;
	}
	return true;
}

/* Length of the key of an item: the part before sep (all of it when sep is '\0'). */
static size_t validate_key_len(const char *item, size_t len, char sep)
{
	const char *at = sep ? memchr(item, sep, len) : NULL;

	return at ? (size_t)(at - item) : len;
}

/*
 * Check each item of a list with check(item, len, msg) and refuse an item whose
 * key (the part before key_sep, or all of it) repeats an earlier one.
 */
static bool validate_list(const char *list, char key_sep, const char *what,
                          bool (*check)(const char *item, size_t len, char *msg, size_t msglen),
                          char *msg, size_t msglen)
{
	const char *cur = list, *item;
	size_t len;

	while (strlist_next(&cur, &item, &len)) {
		char buf[VALIDATE_TAG_MAX * 4 + 1];
		size_t key = validate_key_len(item, len, key_sep);
		const char *prev_cur = list, *prev;
		size_t prev_len;

		if (!check(item, len, msg, msglen))
			return false;
		/* Earlier items only: stop at this one. */
		while (strlist_next(&prev_cur, &prev, &prev_len) && prev != item) {
			if (validate_key_len(prev, prev_len, key_sep) == key && memcmp(prev, item, key) == 0) {
				snprintf(buf, sizeof(buf), "%.*s", (int)key, item);
				snprintf(msg, msglen, "%s '%s' is given twice: keep one", what, buf);
				return false;
			}
		}
	}
	return true;
}

/* Length and control characters of one list item. */
static bool validate_item(const char *item, size_t len, const char *what, char *msg, size_t msglen)
{
	char copy[VALIDATE_TAG_MAX * 4 + 1], desc[48];
	const char *bad;

	if (len >= sizeof(copy)) {
		snprintf(msg, msglen, "a %s can be at most %d characters long: shorten '%.20s...'", what,
		         VALIDATE_TAG_MAX, item);
		return false;
	}
	memcpy(copy, item, len);
	copy[len] = '\0';
	if (utf8_count(copy) > VALIDATE_TAG_MAX) {
		snprintf(msg, msglen, "a %s can be at most %d characters long: shorten '%.20s...'", what,
		         VALIDATE_TAG_MAX, copy);
		return false;
	}
	bad = validate_control(item, len, false);
	if (bad) {
		snprintf(msg, msglen, "%s is not allowed in a %s: remove it",
		         utf8_describe(bad, desc, sizeof(desc)), what);
		return false;
	}
	return true;
}

static bool validate_tag(const char *item, size_t len, char *msg, size_t msglen)
{
	size_t key = validate_key_len(item, len, ':');

	if (!validate_item(item, len, "tag", msg, msglen))
		return false;
	if (key == 0) {
		snprintf(msg, msglen, "tag '%.*s' needs a key before ':' (e.g. 'team:payments')", (int)len, item);
		return false;
	}
	/* Spaces only: validate_item refused a tab, a control character. */
	if (item[key - 1] == ' ' || (key < len && item[key + 1] == ' ')) {
		snprintf(msg, msglen, "remove the spaces around ':' in tag '%.*s'", (int)len, item);
		return false;
	}
	return true;
}

bool validate_tags(const char *list, char *msg, size_t msglen)
{
	return validate_list(list, ':', "tag", validate_tag, msg, msglen);
}

static bool validate_delegate_tag(const char *item, size_t len, char *msg, size_t msglen)
{
	if (!validate_item(item, len, "delegate tag", msg, msglen))
		return false;
	/* Spaces only: validate_item refused a tab, a control character. */
	if (memchr(item, ' ', len)) {
		snprintf(msg, msglen, "a delegate tag has no spaces: '%.*s' looks like two tags, separate "
		         "them with ','", (int)len, item);
		return false;
	}
	return true;
}

bool validate_delegate_tags(const char *list, char *msg, size_t msglen)
{
	return validate_list(list, '\0', "delegate tag", validate_delegate_tag, msg, msglen);
}

bool validate_username(const char *text, char *msg, size_t msglen)
{
	char what[48];
	size_t n = utf8_count(text);

	if (!*text) {
		snprintf(msg, msglen, "a username is required (Azure accepts any non-empty name with a "
		         "token)");
		return false;
	}
	if (n > VALIDATE_USERNAME_MAX) {
		snprintf(msg, msglen, "a username can be at most %d characters long (this one has %zu)",
		         VALIDATE_USERNAME_MAX, n);
		return false;
	}
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == ':' || (unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(msg, msglen, "%s is not allowed in a username: remove it",
			         utf8_describe(p, what, sizeof(what)));
			return false;
		}
	}
	return true;
}

/* Does text start with word (any case) and a blank? */
static bool validate_starts(const char *text, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(text, word, n) == 0 && (text[n] == ' ' || text[n] == '\t');
}

bool validate_is_private_key(const char *text)
{
	const char *begin = strstr(text, "-----BEGIN ");

	return begin && strstr(begin, "PRIVATE KEY-----");
}

bool validate_looks_like_key_text(const char *text)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

	if (strstr(text, "-----BEGIN ") || strstr(text, "PRIVATE KEY-----"))
		return true;
	for (const char *p = text; *p; p++) {
		size_t n = strspn(p, b64), distinct = 0, upper = 0, digits = 0;
		bool lower = false, plus = false, seen[128] = { false };

		/*
		 * Random bytes in base64: many capitals, digits (or a '+') and different characters; not a
		 * long CamelCase name ("...AndTheAmericas2"), a word held down ("dddEND") or a path ('/').
		 */
		for (size_t i = 0; n >= 60 && i < n; i++) {
			upper += p[i] >= 'A' && p[i] <= 'Z';
			digits += p[i] >= '0' && p[i] <= '9';
			lower |= p[i] >= 'a' && p[i] <= 'z';
			plus |= p[i] == '+';
			distinct += !seen[(unsigned char)p[i]];
			seen[(unsigned char)p[i]] = true;
		}
		if (n >= 60 && upper >= 10 && lower && (digits >= 3 || plus) && distinct >= 20)
			return true;
		p += n ? n - 1 : 0;
	}
	return false;
}

/*
 * A JSON Web Token: "eyJ" (base64url of '{"') and three base64url parts between two dots, as
 * the access tokens of Microsoft Entra ID ('az account get-access-token') are.
 */
static bool validate_is_jwt(const char *t, size_t len)
{
	size_t dots = 0;

	if (strncmp(t, "eyJ", 3) != 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '.' && (i == 0 || t[i - 1] == '.' || ++dots > 2))
			return false;
		if (t[i] != '.' && t[i] != '-' && t[i] != '_' && !isalnum((unsigned char)t[i]))
			return false;
	}
	return dots == 2 && t[len - 1] != '.';
}

/* Two tokens one after the other (pasted twice): 2 x 52 base32 characters, or 2 x 84 letters and digits. */
static bool validate_two_tokens(const char *t, size_t len)
{
	return (len == 2 * 52 && strspn(t, "abcdefghijklmnopqrstuvwxyz234567") == len) ||
	       (len == 2 * 84 && strspn(t, IDENT_TOKEN_CHARS) == len);
}

bool validate_token_short(size_t len, char *msg, size_t msglen)
{
	if (len == 0 || len >= VALIDATE_PAT_LEN)
		return false;
	snprintf(msg, msglen, "only %zu characters: Azure DevOps makes tokens of %d or more; was it cut short "
	         "when copied?", len, VALIDATE_PAT_LEN);
	return true;
}

bool validate_token(const char *text, char *msg, size_t msglen)
{
	static const char *const forges[][2] = {
		{ "ghp_", "GitHub" }, { "gho_", "GitHub" }, { "ghu_", "GitHub" }, { "ghs_", "GitHub" },
		{ "github_pat_", "GitHub" }, { "glpat-", "GitLab" },
	};
	const char *t = text + strspn(text, " \t");
	size_t len = strlen(t), inner;
	char what[48];

	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
		len--;
	if (len == 0) {
		snprintf(msg, msglen, "the value is only blanks: check what was copied");
		return false;
	}
	/* What else gets copied with a token, or for one: named, never quoted (the rest is secret). */
	if (validate_starts(t, "Bearer") || validate_starts(t, "Basic")) {
		snprintf(msg, msglen, "that is an HTTP Authorization value ('%s ...'): give the Personal Access "
		         "Token alone", validate_starts(t, "Bearer") ? "Bearer" : "Basic");
		return false;
	}
	/* A key file given where the token goes (the wrong flag, or SSH meant). */
	bool private_key = validate_is_private_key(t);
	if (private_key || strncmp(t, "ssh-rsa ", 8) == 0 || strncmp(t, "ssh-ed25519 ", 12) == 0) {
		snprintf(msg, msglen, "that is an SSH %s key, not a token (an SSH key goes with connection type SSH)",
		         private_key ? "private" : "public");
		return false;
	}
	if (strstr(t, "://")) {
		snprintf(msg, msglen, "that is a URL, not a token: create a Personal Access Token in Azure DevOps "
		         "(User settings > Personal access tokens)");
		return false;
	}
	for (size_t i = 0; i < sizeof(forges) / sizeof(forges[0]); i++) {
		if (strncmp(t, forges[i][0], strlen(forges[i][0])) == 0) {
			snprintf(msg, msglen, "that is a %s token (%s...): Azure DevOps takes only its own Personal "
			         "Access Tokens (User settings > Personal access tokens)", forges[i][1], forges[i][0]);
			return false;
		}
	}
	/* Taken for a PAT at 2 a.m.: it works for about an hour, and Harness's connector needs a PAT. */
	if (validate_is_jwt(t, len)) {
		snprintf(msg, msglen, "that is an access token of Microsoft Entra ID (eyJ..., as 'az account "
		         "get-access-token' gives), which expires in about an hour: create a Personal Access Token "
		         "in Azure DevOps (User settings > Personal access tokens)");
		return false;
	}
	if (strchr("\"'", t[0]) || strchr("\"'", t[len - 1])) {
		snprintf(msg, msglen, "remove the quote marks copied with the token");
		return false;
	}
	inner = strcspn(t, " \t");
	if (inner < len) {
		snprintf(msg, msglen, "a token has no spaces: check what was copied");
		return false;
	}
	if (t != text || t[len] != '\0') {
		snprintf(msg, msglen, "remove the blanks before and after the token");
		return false;
	}
	for (const char *p = t; *p; p += utf8_char_len(p)) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(msg, msglen, "%s inside: give the token alone, on one line",
			         *p == '\n' || *p == '\r' ? "a line break" : "a control character");
			return false;
		}
		if (*p == ':') {
			snprintf(msg, msglen, "a token has no ':': give the token alone (the username is a field of "
			         "its own: Username, --username)");
			return false;
		}
		if ((unsigned char)*p >= 0x80) {
			snprintf(msg, msglen, "%s is not part of a token: check what was copied",
			         utf8_describe(p, what, sizeof(what)));
			return false;
		}
	}
	if (validate_two_tokens(t, len)) {
		snprintf(msg, msglen, "this is two tokens one after the other (pasted twice?): give one");
		return false;
	}
	/* A token with more around it: a line of a file or a script ("PAT=...", "token;"). */
	if (ident_looks_like_token(t) && strspn(t, IDENT_TOKEN_CHARS) < len) {
		snprintf(msg, msglen, "there is more than the token here (an Azure DevOps token is letters and "
		         "digits only): give the token alone");
		return false;
	}
	return true;
}
