#include <config.h>

#include <string.h>

#include "nearest.h"

/*
 * Edit distance of a and b, a swap of two letters side by side counting as one
 * edit ("lsit" is one from "list", two from "edit"): at most 64 bytes of each count.
 */
static size_t nearest_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t before[65], prev[65], row[65];

	la = la > 64 ? 64 : la;
	lb = lb > 64 ? 64 : lb;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			row[j] = best;
		}
		memcpy(before, prev, sizeof(prev));
		memcpy(prev, row, sizeof(row));
	}
	return prev[lb];
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
