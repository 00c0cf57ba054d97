#include <config.h>

#include <string.h>

#include "nearest.h"

/* Edit distance of a and b (at most 64 bytes of each count). */
static size_t nearest_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[65];

	la = la > 64 ? 64 : la;
	lb = lb > 64 ? 64 : lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

void nearest_start(struct nearest *n, const char *word, size_t len)
{
	*n = (struct nearest){ .word = word, .len = len, .best_d = 3 };
}

void nearest_offer(struct nearest *n, const char *name)
{
	size_t d = nearest_distance(n->word, n->len, name, strlen(name));

	if (d < n->best_d) {
		n->best = name;
		n->best_d = d;
		n->tie = false;
	} else if (d == n->best_d) {
		n->tie = true;
	}
}

const char *nearest_found(const struct nearest *n)
{
	return n->best && !n->tie && n->best_d < n->len ? n->best : NULL;
}
