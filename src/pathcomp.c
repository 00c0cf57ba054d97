/* Tab completion of a typed path: the folder read once, its matching entries compared. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pathcomp.h"
#include "utf8.h"

/* An entry that may be offered: one a person can read and type back. */
static bool pathcomp_typable(const char *name)
{
	return !utf8_has_control(name) && utf8_first_invalid(name) == NULL;
}

static int pathcomp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The matches, sorted, two spaces apart, into names (cut with "..."). */
static void pathcomp_list(char **match, size_t n, char *names, size_t nameslen)
{
	size_t at = 0;

	if (nameslen == 0)
		return;
	names[0] = '\0';
	qsort(match, n, sizeof(*match), pathcomp_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(match[i]) + (i ? 2 : 0);
		/* Room for it and, unless it is the last, for the "  ..." that may have to follow. */
		if (at + len + (i + 1 < n ? 5 : 0) >= nameslen) {
			if (at + 5 < nameslen)
				snprintf(names + at, nameslen - at, "%s...", i ? "  " : "");
			return;
		}
		at += (size_t)snprintf(names + at, nameslen - at, "%s%s", i ? "  " : "", match[i]);
	}
}

int pathcomp_complete(const char *typed, char *out, size_t outlen, char *names, size_t nameslen)
{
	const char *slash = strrchr(typed, '/'), *home = getenv("HOME");
	const char *part = slash ? slash + 1 : typed;
	size_t dirlen = (size_t)(part - typed), partlen = strlen(part), n = 0, cap = 0, common = 0;
	char dir[PATH_MAX], full[PATH_MAX], end[2] = "";
	char **match = NULL;
	struct stat st;
	int rc = -1, len, err = ENOMEM;

	if (names && nameslen)
		names[0] = '\0';
	if ((size_t)snprintf(out, outlen, "%s", typed) >= outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* The folder as the system names it: "~/" is $HOME, no folder at all the current one. */
	if (dirlen == 0)
		len = snprintf(dir, sizeof(dir), ".");
	else if (strncmp(typed, "~/", 2) == 0 && home && *home)
		len = snprintf(dir, sizeof(dir), "%s%.*s", home, (int)dirlen - 1, typed + 1);
	else
		len = snprintf(dir, sizeof(dir), "%.*s", (int)dirlen, typed);
	if (len < 0 || (size_t)len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strncmp(e->d_name, part, partlen) != 0 || !pathcomp_typable(e->d_name))
			continue;
		if (n == cap) {
			char **more = realloc(match, (cap = cap ? cap * 2 : 16) * sizeof(*match));
			if (!more)
				goto out;
			match = more;
		}
		if (!(match[n] = strdup(e->d_name)))
			goto out;
		/* The start all share so far, cut back to a whole character. */
		if (n == 0)
			common = strlen(match[0]);
		while (common > 0 && strncmp(match[0], match[n], common) != 0)
			common--;
		while (common > 0 && ((unsigned char)match[0][common] & 0xC0) == 0x80)
			common--;
		n++;
	}
	if (n == 1 && (len = snprintf(full, sizeof(full), "%s/%s", dir, match[0])) > 0 && (size_t)len < sizeof(full) &&
	    stat(full, &st) == 0 && S_ISDIR(st.st_mode))
		end[0] = '/';
	if (n > 0 && (size_t)snprintf(out, outlen, "%.*s%.*s%s", (int)dirlen, typed, (int)common, match[0], end) >=
	             outlen) {
		snprintf(out, outlen, "%s", typed);
		err = ENAMETOOLONG;
		goto out;
	}
	if (names && n > 0)
		pathcomp_list(match, n, names, nameslen);
	rc = (int)n;
out:
	for (size_t i = 0; i < n; i++)
		free(match[i]);
	free(match);
	closedir(d);
	if (rc < 0)
		errno = err;
	return rc;
}
