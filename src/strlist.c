#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "strlist.h"

char *strlist_append(const char *list, const char *text)
{
	size_t have = list ? strlen(list) : 0;
	char *out = malloc(have + strlen(text) + 2);
	size_t n = have;

	if (!out)
		return NULL;
	if (have)
		memcpy(out, list, have);
	while (*text) {
		const char *start = text, *end;

		text += strcspn(text, ",");
		end = text;
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start) {
			if (n)
				out[n++] = ',';
			memcpy(out + n, start, (size_t)(end - start));
			n += (size_t)(end - start);
		}
		if (*text == ',')
			text++;
	}
	out[n] = '\0';
	return out;
}

bool strlist_next(const char **cursor, const char **item, size_t *len)
{
	const char *p = *cursor;

	if (!p || !*p)
		return false;
	*item = p;
	*len = strcspn(p, ",");
	*cursor = p[*len] ? p + *len + 1 : p + *len;
	return true;
}
