#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void strbuf_addn(struct strbuf *b, const char *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *t = realloc(b->s, cap);

		if (!t) {
			free(b->s);
			b->s = NULL;
			b->oom = true;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_add(struct strbuf *b, const char *p)
{
	strbuf_addn(b, p, strlen(p));
}
