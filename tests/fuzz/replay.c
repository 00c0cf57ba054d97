/*
 * The regression test of a fuzz target without libFuzzer: calls
 * LLVMFuzzerTestOneInput on every file of $top_srcdir/tests/fuzz/corpus/<target>
 * (sorted by name) and prints TAP. A crash, a sanitizer report or an abort
 * (a broken property) ends the test. Arguments, if any, are files to run instead.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fuzz.h"

#define REPLAY_MAX (4u << 20) /* seeds are small; more is a mistake */

static int replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(int n, const char *path, const char *label)
{
	uint8_t *copy;
	char *buf;
	size_t len;

	if (fileio_read_path(path, REPLAY_MAX, &buf, &len) != 0) {
		printf("not ok %d - %s: %s\n", n, label, strerror(errno));
		return 1;
	}
	/* Exactly len bytes, no NUL after them, as libFuzzer passes its inputs. */
	copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, buf, len);
	free(buf);
	fflush(stdout);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	printf("ok %d - %s\n", n, label);
	return 0;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int failed = 0;
	DIR *d;

	if (argc > 1) {
		printf("1..%d\n", argc - 1);
		for (int i = 1; i < argc; i++)
			failed += replay_file(i, argv[i], argv[i]);
		return failed ? 1 : 0;
	}
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top && *top ? top : ".", fuzz_target_name);
	if (!(d = opendir(dir))) {
		printf("1..0 # SKIP\nBail out! %s: %s (set top_srcdir)\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if (!(names = realloc(names, cap * sizeof(*names))))
				abort();
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (n == 0) {
		printf("Bail out! %s: no seeds\n", dir);
		free(names);
		return 1;
	}
	qsort(names, n, sizeof(*names), replay_cmp);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		failed += replay_file((int)i + 1, path, names[i]);
		free(names[i]);
	}
	free(names);
	return failed ? 1 : 0;
}
