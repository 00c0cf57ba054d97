/* "Did you mean": the one known word a mistyped one was likely meant to be. */
#ifndef AZ_NEAREST_H
#define AZ_NEAREST_H

#include <stddef.h>

/*
 * The one name of names (ending with NULL) within two edits of word[0..len),
 * and fewer edits than len; NULL when none is, or two are equally near.
 */
const char *nearest_word(const char *word, size_t len, const char *const *names);

#endif
