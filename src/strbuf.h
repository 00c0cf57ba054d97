/* A growing string, for URLs built piece by piece. */
#ifndef AZ_STRBUF_H
#define AZ_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Start as { 0 }; after a failed allocation s is NULL and stays NULL (oom). */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
	bool oom;
};

void strbuf_addn(struct strbuf *b, const char *p, size_t n);
void strbuf_add(struct strbuf *b, const char *p);

#endif
