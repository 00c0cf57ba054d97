/* Helpers shared by the fuzz targets (see fuzz.h). */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char fuzz_dir[PATH_MAX];

/* Remove the folder and the files in it (it holds no subfolders). */
static void fuzz_tmp_cleanup(void)
{
	DIR *d = opendir(fuzz_dir);
	struct dirent *e;
	char path[PATH_MAX + 256];

	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", fuzz_dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(fuzz_dir);
}

const char *fuzz_tmp_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[PATH_MAX + 256];
	int fd;

	if (!fuzz_dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/azrc-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(fuzz_dir))
			abort();
		atexit(fuzz_tmp_cleanup);
	}
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	if (close(fd) != 0)
		abort();
	return path;
}
