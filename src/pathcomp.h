/* Tab completion of a file path typed in the wizard (a key file, a CA file). */
#ifndef AZ_PATHCOMP_H
#define AZ_PATHCOMP_H

#include <stddef.h>

/*
 * Complete typed, a path as a shell reads it unquoted ("~/" is $HOME, kept so
 * in out): the entries of its folder that start with its last part (hidden
 * ones too, as readline offers them: ~/.ssh is one; names with control
 * characters or not UTF-8 never, as they cannot be typed back), the longest
 * start they share in place of that part in out, a '/' after a lone folder. names
 * gets the entries that match, sorted, two spaces apart, cut with "..." when
 * longer. Returns how many match, or -1 (errno) when the folder cannot be
 * read or out is too small; out is typed then.
 */
int pathcomp_complete(const char *typed, char *out, size_t outlen, char *names, size_t nameslen);

#endif
