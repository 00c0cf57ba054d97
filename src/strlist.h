/*
 * List values (tags, delegate tags) are held as one string, the items joined
 * with ',' ("team:web,prod"): an item never contains a ',' since a list is
 * given as one comma-separated value or a repeated flag.
 */
#ifndef AZ_STRLIST_H
#define AZ_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * list (may be NULL) followed by the items of text: text split on ',', each
 * item trimmed of spaces and tabs, empty items dropped. A malloc'ed string,
 * "" for no items; NULL when out of memory.
 */
char *strlist_append(const char *list, const char *text);

/*
 * Walk the items: set *cursor = list (may be NULL) first; each call gives the
 * next item as *item and *len (not NUL-terminated), false after the last.
 */
bool strlist_next(const char **cursor, const char **item, size_t *len);

#endif
