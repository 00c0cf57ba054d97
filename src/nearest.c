#include <config.h>

#include <stdbool.h>
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

const char *nearest_word(const char *word, size_t len, const char *const *names)
{
	const char *best = NULL;
	size_t best_d = 3;
	bool tie = false;

	for (; *names; names++) {
		size_t d = nearest_distance(word, len, *names, strlen(*names));
		if (d < best_d) {
			best = *names;
			best_d = d;
			tie = false;
		} else if (d == best_d) {
			tie = true;
		}
	}
	return best && !tie && best_d < len ? best : NULL;
}
