#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "paths.h"

static char *paths_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);

	/* "/" (HOME=/) and a folder given with its trailing '/' join as "/x", not "//x". */
	if (s)
		snprintf(s, n, "%s%s%s", a, *a && a[strlen(a) - 1] == '/' ? "" : "/", b);
	return s;
}

/* An absolute XDG variable, or home + fallback; NULL and *missing = var when there is no home. */
static char *paths_xdg(const char *var, const char *user_home, const char *fallback, const char **missing)
{
	const char *v = getenv(var);

	if (v && v[0] == '/')
		return paths_join(v, "azrepos-connect");
	if (!user_home) {
		if (!*missing)
			*missing = var;
		return NULL;
	}
	char *base = paths_join(user_home, fallback);
	char *dir = base ? paths_join(base, "azrepos-connect") : NULL;
	free(base);
	return dir;
}

int paths_init(struct az_paths *paths, const char *home, FILE *err)
{
	char *config = NULL;

	memset(paths, 0, sizeof(*paths));
	if (!home || !*home)
		home = getenv("AZREPOS_CONNECT_HOME");
	if (home && *home) {
		if (home[0] != '/') {
			/* (--home is checked before: only the variable reaches here.) */
			msg_error(err, "AZREPOS_CONNECT_HOME needs an absolute path, not '%s'", home);
			return -1;
		}
		/* Found now, not as the store or a connector file cannot be written (after a check). */
		struct stat st;
		if (stat(home, &st) == 0 && !S_ISDIR(st.st_mode)) {
			msg_error(err, "%s is not a folder: give a folder as the home (--home DIR, or "
			          "AZREPOS_CONNECT_HOME); one not there yet is made", home);
			return -1;
		}
		config = strdup(home);
		paths->data_dir = strdup(home);
		paths->state_dir = strdup(home);
	} else {
		/*
		 * HOME is needed only for a folder no absolute XDG variable names; it is never made
		 * (a system user's /nonexistent, which Debian keeps absent).
		 */
		const char *given = getenv("HOME"), *user_home = given, *missing = NULL;
		struct stat st;
		int e = 0;

		if (given && given[0] != '/')
			user_home = given = NULL;
		else if (given && stat(given, &st) != 0)
			e = errno;
		else if (given && !S_ISDIR(st.st_mode))
			e = ENOTDIR;
		if (e)
			user_home = NULL;
		config = paths_xdg("XDG_CONFIG_HOME", user_home, ".config", &missing);
		paths->data_dir = paths_xdg("XDG_DATA_HOME", user_home, ".local/share", &missing);
		paths->state_dir = paths_xdg("XDG_STATE_HOME", user_home, ".local/state", &missing);
		if (missing) {
			if (given)
				msg_error(err, "HOME is %s, which %s%s (nor is %s set); set HOME to your home folder or use "
				          "--home DIR (a home is never made)", given,
				          e == ENOENT ? "is not there" : e == ENOTDIR ? "is not a folder" : "cannot be read: ",
				          e == ENOENT || e == ENOTDIR ? "" : strerror(e), missing);
			else
				msg_error(err, "HOME is not set to an absolute path (nor %s); set it or use --home DIR",
				          missing);
			free(config);
			paths_free(paths);
			return -1;
		}
	}
	if (config && paths->data_dir && paths->state_dir) {
		paths->connectors_dir = paths_join(config, "connectors");
		paths->store = paths_join(paths->data_dir, "secrets.store");
		paths->known_hosts = paths_join(paths->data_dir, "known_hosts");
		paths->draft = paths_join(paths->state_dir, "draft.json");
	}
	free(config);
	if (!paths->connectors_dir || !paths->store || !paths->known_hosts || !paths->draft) {
		msg_error(err, "out of memory");
		paths_free(paths);
		return -1;
	}
	return 0;
}

char *paths_edit_draft(const struct az_paths *paths, const char *id)
{
	size_t n = strlen(paths->state_dir) + strlen(id) + sizeof("/edit-.json");
	char *path = malloc(n);

	if (path)
		snprintf(path, n, "%s/edit-%s.json", paths->state_dir, id);
	return path;
}

char *paths_lock_file(const char *path)
{
	size_t n = strlen(path) + sizeof(".lock");
	char *lock = malloc(n);

	if (lock)
		snprintf(lock, n, "%s.lock", path);
	return lock;
}

void paths_free(struct az_paths *paths)
{
	free(paths->connectors_dir);
	free(paths->data_dir);
	free(paths->store);
	free(paths->known_hosts);
	free(paths->state_dir);
	free(paths->draft);
	memset(paths, 0, sizeof(*paths));
}

int paths_mkdir(const char *dir)
{
	char *copy = strdup(dir);
	int rc = 0;

	if (!copy)
		return -1;
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	if (rc == 0) {
		struct stat st;
		if (stat(dir, &st) != 0)
			rc = -1;
		else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
	}
	free(copy);
	return rc;
}
