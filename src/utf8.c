#include <config.h>

#include <stdio.h>
#include <string.h>

#include "utf8.h"

size_t utf8_char_len(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	/* Overlong three/four byte forms, surrogates and code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 1;
	return n;
}

size_t utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s += utf8_char_len(s))
		n++;
	return n;
}

const char *utf8_describe(const char *p, char *buf, size_t buflen)
{
	unsigned char c = (unsigned char)*p;
	size_t n = utf8_char_len(p);

	if (c == ' ')
		snprintf(buf, buflen, "a space");
	else if (c == '\t')
		snprintf(buf, buflen, "a tab");
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, buflen, "a control character (0x%02X)", c);
	else if (c >= 0x80 && n == 1)
		snprintf(buf, buflen, "a byte that is not UTF-8 (0x%02X)", c);
	else
		snprintf(buf, buflen, "'%.*s'", (int)n, p);
	return buf;
}
