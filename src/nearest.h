/* "Did you mean": the one known word a mistyped one was likely meant to be. */
#ifndef AZ_NEAREST_H
#define AZ_NEAREST_H

#include <stdbool.h>
#include <stddef.h>

/* A search over names offered one by one (they must live until nearest_found). */
struct nearest {
	const char *word;
	size_t len;
	const char *best;
	size_t best_d;
	bool tie;
};

void nearest_start(struct nearest *n, const char *word, size_t len);
void nearest_offer(struct nearest *n, const char *name);

/*
 * The one name offered within two edits of word[0..len), and fewer edits
 * than len; NULL when none is, or two are equally near.
 */
const char *nearest_found(const struct nearest *n);

#endif
