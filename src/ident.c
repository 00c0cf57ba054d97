#include <config.h>

#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "utf8.h"

/* Backend EntityIdentifierValidator and UI illegalIdentifiers, plus the docs' two extra. */
static const char *const ident_reserved[] = {
	"or", "and", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod", "not", "null",
	"true", "false", "new", "var", "return", "step", "parallel", "stepGroup", "org",
	"account", "class", "shellScriptProvisioner", "status", "liteEngineTask", NULL,
};

static bool ident_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ident_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The first character of s not in the set accepted by ok(), or NULL. */
static const char *ident_first_bad(const char *s, bool (*ok)(char c))
{
	for (; *s; s++)
		if (!ok(*s))
			return s;
	return NULL;
}

/* "<what> is at most N characters (this one has M): shorten it" when too long. */
static bool ident_check_length(const char *s, size_t max, const char *what, char *msg,
                               size_t msglen)
{
	size_t n = utf8_count(s);

	if (n <= max)
		return true;
	snprintf(msg, msglen, "%s can be at most %zu characters long (this one has %zu): shorten it",
	         what, max, n);
	return false;
}

/* "<char> is not allowed: use <allowed>" for the character at bad. */
static bool ident_bad_char(const char *bad, const char *allowed, char *msg, size_t msglen)
{
	char what[48];

	snprintf(msg, msglen, "%s is not allowed: use %s", utf8_describe(bad, what, sizeof(what)),
	         allowed);
	return false;
}

bool ident_is_reserved(const char *word)
{
	for (const char *const *r = ident_reserved; *r; r++)
		if (strcmp(*r, word) == 0)
			return true;
	return false;
}

static bool ident_name_char(char c)
{
	return ident_is_alpha(c) || ident_is_digit(c) || c == ' ' || c == '_' || c == '.' || c == '-';
}

bool ident_check_name(const char *name, char *msg, size_t msglen)
{
	const char *bad;

	if (!*name) {
		snprintf(msg, msglen, "a name is required");
		return false;
	}
	if (!ident_check_length(name, IDENT_NAME_MAX, "a name", msg, msglen))
		return false;
	if (name[0] == ' ') {
		snprintf(msg, msglen, "a name cannot start with a space: remove it");
		return false;
	}
	bad = ident_first_bad(name, ident_name_char);
	if (bad)
		return ident_bad_char(bad, "ASCII letters, digits, spaces, '_', '.' and '-'", msg, msglen);
	return true;
}

static bool ident_id_char(char c)
{
	return ident_is_alpha(c) || ident_is_digit(c) || c == '_' || c == '$';
}

/* A token given where an id goes: said, never quoted. */
static void ident_token_msg(const char *art, const char *what, char *msg, size_t msglen)
{
	snprintf(msg, msglen, "this looks like a Personal Access Token, not %s %s: a token is given as a "
	         "secret's value (from a file, stdin or the wizard's field), never as an id; if it was logged, "
	         "revoke it", art, what);
}

/*
 * prefix + id with '-', '.' and spaces made '_' ("web-app" is most likely
 * meant as "web_app"), in out: true when that one is right, to be offered.
 */
static bool ident_fix_example(const char *prefix, const char *id, const char *what, char *out, size_t outlen)
{
	size_t at = strlen(prefix), n = strlen(id);
	char why[160];

	if (at + n >= outlen)
		return false;
	memcpy(out, prefix, at);
	for (size_t i = 0; i < n; i++)
		out[at + i] = strchr("-. ", id[i]) ? '_' : id[i];
	out[at + n] = '\0';
	return strcmp(out, id) != 0 && ident_check_identifier(out, what, why, sizeof(why));
}

bool ident_check_identifier(const char *id, const char *what, char *msg, size_t msglen)
{
	char fixed[IDENT_ID_MAX + 2];
	const char *bad;
	/* "an identifier", "an organization identifier", "a project identifier" */
	const char *art = strchr("aeiou", what[0]) ? "an" : "a";

	if (!*id) {
		snprintf(msg, msglen, "%s %s is required", art, what);
		return false;
	}
	if (ident_looks_like_token(id)) {
		ident_token_msg(art, what, msg, msglen);
		return false;
	}
	if (!ident_check_length(id, IDENT_ID_MAX, "an identifier", msg, msglen))
		return false;
	if (ident_is_digit(id[0]) || id[0] == '$') {
		snprintf(msg, msglen, "%s %s cannot start with a digit or '$': start with a letter or '_'",
		         art, what);
		if (ident_fix_example("_", id, what, fixed, sizeof(fixed)))
			snprintf(msg + strlen(msg), msglen - strlen(msg), " (e.g. '%.60s')", fixed);
		return false;
	}
	bad = ident_first_bad(id, ident_id_char);
	if (bad) {
		ident_bad_char(bad, "ASCII letters, digits, '_' and '$'", msg, msglen);
		if (ident_fix_example("", id, what, fixed, sizeof(fixed)))
			snprintf(msg + strlen(msg), msglen - strlen(msg), " (e.g. '%s')", fixed);
		return false;
	}
	if (ident_is_reserved(id)) {
		snprintf(msg, msglen, "'%s' is a reserved Harness keyword: choose another %s (e.g. '%s_1')",
		         id, what, id);
		return false;
	}
	return true;
}

/* ident_from_name's steps into out (IDENT_ID_MAX + 3 bytes); marks: '.' and '-' become '_' too. */
static void ident_derive(const char *name, bool marks, char *out)
{
	const char *end = name + strlen(name);
	size_t n = 0;
	bool space = false;

	while (*name == ' ' || *name == '\t')
		name++;
	while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (const char *p = name; p < end && n < IDENT_ID_MAX; p++) {
		if (*p == ' ' || (marks && (*p == '.' || *p == '-'))) {
			space = true;
			continue;
		}
		if (!ident_id_char(*p))
			continue;
		if (space && n > 0)
			out[n++] = '_';
		space = false;
		if (n == 0 && (ident_is_digit(*p) || *p == '$'))
			out[n++] = '_';
		out[n++] = *p;
	}
	out[n < IDENT_ID_MAX ? n : IDENT_ID_MAX] = '\0';
}

void ident_from_name(const char *name, char *buf, size_t buflen)
{
	/* Each step adds at most two characters: a '_' (for spaces or a leading digit) and one. */
	char out[IDENT_ID_MAX + 3];

	ident_derive(name, false, out);
	/* "svc-bldr-...-k7s-grp-7-...": run together, its parts may look like a token (refused as one). */
	if (ident_looks_like_token(out))
		ident_derive(name, true, out);
	snprintf(buf, buflen, "%s%s", out, *out && ident_is_reserved(out) ? "_" : "");
}

static bool ident_secret_char(char c)
{
	return (c >= 'a' && c <= 'z') || ident_is_digit(c) || c == '_' || c == '-';
}

/* In the n bytes at p: a digit somewhere, and something else (a letter). */
static bool ident_mixed(const char *p, size_t n)
{
	static const char digits[] = "0123456789";

	return strcspn(p, digits) < n && strspn(p, digits) < n;
}

/*
 * A name of words ("paymentsplatformconnectorproductioneuwest2"): 35% of its letters vowels, at
 * most one digit. Random base32 has a fifth vowels and a fifth digits: of a million tokens drawn,
 * none passed for words.
 */
static bool ident_wordy(const char *p, size_t n)
{
	size_t vowels = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		vowels += strchr("aeiouAEIOU", p[i]) != NULL;
		digits += p[i] >= '0' && p[i] <= '9';
	}
	return digits <= 1 && vowels * 100 >= (n - digits) * 35;
}

/*
 * A PAT: 52 characters of base32 (a-z, 2-7) or, in the newer format, 84 letters and digits; as a
 * run of letters and digits, alone or within other text ("user:<PAT>", a tag, a sentence), or
 * typed onto the end of a value already there ("ci" + PAT: 52 base32 characters within the run).
 * Both random, so with a digit and a letter (a token lacks a digit once in about 50,000): a long
 * name of letters alone is a name, and so is one of words (ident_wordy).
 */
const char *ident_token_run(const char *text, size_t *len)
{
	static const char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

	for (const char *p = text; *p;) {
		size_t run = strspn(p, IDENT_TOKEN_CHARS);
		bool token = run >= 84 && ident_mixed(p, run) && !ident_wordy(p, run);

		for (size_t at = 0, b; !token && at + 52 <= run; at += b ? b : 1) {
			b = strspn(p + at, base32);
			b = b < run - at ? b : run - at;
			token = b >= 52 && ident_mixed(p + at, b) && !ident_wordy(p + at, b);
		}
		if (token) {
			*len = run;
			return p;
		}
		p += run ? run : 1;
	}
	return NULL;
}

bool ident_looks_like_token(const char *text)
{
	size_t len;

	return ident_token_run(text, &len) != NULL;
}

void ident_redact_tokens(char *text)
{
	static const char shown[] = IDENT_TOKEN_WITHHELD;
	size_t len;
	char *p;

	/* Shorter than any token: done in place. */
	_Static_assert(sizeof(shown) - 1 < 52, "the replacement fits where a token was");
	while ((p = (char *)ident_token_run(text, &len)) != NULL) {
		memcpy(p, shown, sizeof(shown) - 1);
		memmove(p + sizeof(shown) - 1, p + len, strlen(p + len) + 1);
		text = p + sizeof(shown) - 1;
	}
}

bool ident_check_secret_id(const char *id, char *msg, size_t msglen)
{
	const char *bad;

	if (!*id) {
		snprintf(msg, msglen, "a store id is required");
		return false;
	}
	if (ident_looks_like_token(id)) {
		ident_token_msg("the", "id of a secret", msg, msglen);
		return false;
	}
	if (!ident_check_length(id, IDENT_SECRET_ID_MAX, "a store id", msg, msglen))
		return false;
	/* "Payments-token": the id meant is the one in lower case, when that one is good. */
	char lower[IDENT_SECRET_ID_MAX + 1];
	if (ident_lower(id, lower, sizeof(lower)) && ident_check_secret_id(lower, msg, msglen)) {
		snprintf(msg, msglen, "a store id is in lower case: '%s'", lower);
		return false;
	}
	/* Only blanks (a space typed where nothing shows it): said as such, not as a first letter. */
	if (!id[strspn(id, " \t")]) {
		snprintf(msg, msglen, "a store id has no spaces: remove them");
		return false;
	}
	if (!(id[0] >= 'a' && id[0] <= 'z')) {
		snprintf(msg, msglen, "a store id must start with a lower-case letter (a-z)");
		return false;
	}
	bad = ident_first_bad(id, ident_secret_char);
	if (bad)
		return ident_bad_char(bad, "lower-case ASCII letters, digits, '_' and '-'", msg, msglen);
	if (ident_is_reserved(id)) {
		snprintf(msg, msglen, "'%s' is a reserved Harness keyword: choose another secret id", id);
		return false;
	}
	return true;
}

bool ident_lower(const char *id, char *buf, size_t buflen)
{
	size_t n = strlen(id);
	bool capitals = false;

	if (n >= buflen)
		return false;
	for (size_t i = 0; i <= n; i++) {
		bool upper = id[i] >= 'A' && id[i] <= 'Z';
		buf[i] = upper ? (char)(id[i] - 'A' + 'a') : id[i];
		capitals |= upper;
	}
	return capitals;
}

void ident_secret_id(const char *identifier, const char *suffix, char *buf, size_t buflen)
{
	char base[IDENT_SECRET_ID_MAX + 1];
	size_t room = IDENT_SECRET_ID_MAX - 1 - strlen(suffix);
	size_t n = 0;

	for (const char *p = identifier; *p && n < room; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;

		if (n == 0 ? (c >= 'a' && c <= 'z') : ident_secret_char(c))
			base[n++] = c;
	}
	base[n] = '\0';
	snprintf(buf, buflen, "%.*s-%s", (int)room, n ? base : "connector", suffix);
}
