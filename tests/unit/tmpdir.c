#include <config.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpdir.h"

char *tmpdir_make(const char *stem)
{
	const char *base = getenv("TMPDIR");
	char *dir;
	size_t n;

	if (!base || !*base)
		base = "/tmp";
	n = strlen(base) + strlen(stem) + sizeof("/.XXXXXX");
	dir = malloc(n);
	if (dir) {
		snprintf(dir, n, "%s/%s.XXXXXX", base, stem);
		if (!mkdtemp(dir)) {
			free(dir);
			dir = NULL;
		}
	}
	return dir;
}

static int tmpdir_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* A folder a test made unreadable or unwritable is opened up again first. */
	if (flag == FTW_DP || flag == FTW_D)
		chmod(path, 0700);
	remove(path);
	return 0;
}

void tmpdir_remove(const char *dir)
{
	if (dir)
		nftw(dir, tmpdir_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
