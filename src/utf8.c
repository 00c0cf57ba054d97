#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
	size_t n;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp > 0x10ffff)
		return 0;
	return n;
}

size_t utf8_char_len(const char *p)
{
	uint32_t cp;
	size_t n = utf8_decode((const unsigned char *)p, strnlen(p, 4), &cp);

	return n ? n : 1;
}

size_t utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s += utf8_char_len(s))
		n++;
	return n;
}

const char *utf8_first_invalid(const char *s)
{
	for (uint32_t cp; *s; s += utf8_char_len(s))
		if (utf8_decode((const unsigned char *)s, strlen(s), &cp) == 0)
			return s;
	return NULL;
}

const char *utf8_describe(const char *p, char *buf, size_t buflen)
{
	unsigned char c = (unsigned char)*p;
	size_t n = utf8_char_len(p);

	if (c == ' ')
		snprintf(buf, buflen, "a space");
	else if (c == '\t')
		snprintf(buf, buflen, "a tab");
	else if (c == '\r') /* most often a Windows line end, from a file or a paste */
		snprintf(buf, buflen, "a carriage return (0x0D, a Windows line end?)");
	else if (c == '\n')
		snprintf(buf, buflen, "a line break");
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, buflen, "a control character (0x%02X)", c);
	else if (c >= 0x80 && n == 1)
		snprintf(buf, buflen, "a byte that is not UTF-8 (0x%02X)", c);
	else
		snprintf(buf, buflen, "'%.*s'", (int)n, p);
	return buf;
}

/*
 * Is p a character's first bytes, cut short by the end of the text (a full buffer)? A lead byte
 * alone is not taken for one: at the end of a word it is more likely Latin-1 ("caf\xe9").
 */
static bool utf8_cut_at_end(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t need = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
	              : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	size_t i = 1;

	while (s[i] && (s[i] & 0xc0) == 0x80)
		i++;
	return need && !s[i] && i >= 2 && i < need;
}

void utf8_scrub(char *s)
{
	char *bad;

	/* A byte dropped could make the text name another file or connector ("caf\xe9" as "caf"). */
	while ((bad = (char *)utf8_first_invalid(s)) != NULL)
		*bad = utf8_cut_at_end(bad) ? '\0' : '?';
}

size_t utf8_control_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u < 0x20 || *u == 0x7f)
		return 1;
	return u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f ? 2 : 0;
}

bool utf8_has_control(const char *s)
{
	for (; *s; s++)
		if (utf8_control_len(s))
			return true;
	return false;
}

void utf8_defang(char *s)
{
	char *out = s;

	utf8_scrub(s);
	for (const char *p = s; *p; p++) {
		size_t c = utf8_control_len(p);
		if (c && *p != '\n' && *p != '\t') {
			*out++ = '?';
			p += c - 1;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
}

void utf8_defang_line(char *s)
{
	utf8_defang(s);
	for (char *nl = s; (nl = strchr(nl, '\n')) != NULL;)
		*nl = '?';
}
