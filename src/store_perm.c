#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "store_error.h"
#include "store_perm.h"

/* other_ok: one of the user's own (in another --home) would do as well; not so a store's lock or key. */
static enum store_status store_perm_owner(const struct stat *st, const char *path, const char *what,
                                          bool root_ok, bool other_ok, struct store_error *err)
{
	uid_t me = geteuid();

	if (st->st_uid == me || (root_ok && st->st_uid == 0))
		return STORE_OK;
	return store_fail(err, STORE_PERMISSIONS,
	                  "%s %s belongs to uid %u, not to you (uid %u): run 'chown %u %s' as root%s%s%s", what,
	                  path, (unsigned)st->st_uid, (unsigned)me, (unsigned)me, path, other_ok ? ", or use a " : "",
	                  other_ok ? what : "", other_ok ? " of your own (--home)" : "");
}

/* The user's home folder, resolved ($HOME when absolute, else the account's), or NULL. */
static char *store_perm_home(void)
{
	const char *home = getenv("HOME");

	if (!home || *home != '/') {
		struct passwd *pw = getpwuid(geteuid());
		home = pw ? pw->pw_dir : NULL;
	}
	return home && *home == '/' ? realpath(home, NULL) : NULL;
}

/* The folder above path that this user cannot look into (malloc'ed, its stat in *st), or NULL. */
static char *store_perm_closed(const char *path, struct stat *st)
{
	char *p = strdup(path);

	for (char *slash = p ? strchr(p + 1, '/') : NULL; slash; slash = strchr(slash + 1, '/')) {
		struct stat sub;

		*slash = '\0';
		if (stat(p, &sub) == 0) {
			*slash = '/';
			continue;
		}
		/* p cannot be looked at: the folder it is in is closed. */
		char *up = strrchr(p, '/');
		if (errno == EACCES && up != p) {
			*up = '\0';
			if (stat(p, st) == 0)
				return p;
		}
		break;
	}
	free(p);
	return NULL;
}

/*
 * path cannot be looked at: the folder closed, another's, is said with its fix. In the user's home,
 * made by a run as root with this HOME: its chown back. The home itself, or above it: a HOME kept
 * from another user (never a chown of /root). Elsewhere: someone else's, not to be taken.
 */
static void store_perm_closed_fail(const char *path, const char *what, const char *closed, const struct stat *st,
                                   struct store_error *err)
{
	char *home = store_perm_home();
	size_t n = strlen(closed), hn = home ? strlen(home) : 0;
	bool home_up = home && strncmp(home, closed, n) == 0 && (home[n] == '/' || !home[n] || n == 1);
	bool in_home = home && hn > 1 && strncmp(closed, home, hn) == 0 && closed[hn] == '/';
	unsigned me = (unsigned)geteuid(), uid = (unsigned)st->st_uid, mode = (unsigned)(st->st_mode & 07777);

	if (home_up)
		store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: the home folder %s (HOME) is closed to you "
		           "(uid %u; folder %s is uid %u's, mode %04o): a HOME kept from another user (sudo -E, su -m)? "
		           "Run with your own (sudo -H, su -), as that user, or give --home", what, path, home, me,
		           closed, uid, mode);
	else if (in_home)
		store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: folder %s belongs to uid %u and is closed "
		           "to you (uid %u, mode %04o): run 'chown -R %u %s' as root if it is yours, or run as the "
		           "user it is for", what, path, closed, uid, me, mode, me, closed);
	else
		store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: folder %s belongs to uid %u and is closed "
		           "to you (uid %u, mode %04o): run as the user it is for, or use a folder of your own (--home)",
		           what, path, closed, uid, me, mode);
	free(home);
}

enum store_status store_perm_open_error(int errnum, const char *path, const char *what, bool other_ok,
                                        struct store_error *err)
{
	if (errnum == ELOOP)
		return store_fail(err, STORE_PERMISSIONS, "%s %s is a symbolic link; it must be a regular file: "
		                  "replace the link by the file it points to", what, path);
	if (errnum == EACCES || errnum == EPERM) {
		struct stat st;

		/* Most often made by a run as root (sudo): who owns it says what fixes it. */
		bool stated = lstat(path, &st) == 0;
		if (stated && st.st_uid != geteuid())
			return store_perm_owner(&st, path, what, false, other_ok, err);
		/* One's own file made unreadable (chmod 000): its mode back, as a key file's is. */
		if (stated && S_ISREG(st.st_mode) && !(st.st_mode & S_IRUSR))
			return store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: it is not readable (mode "
			                  "%04o): run 'chmod %s %s'", what, path, (unsigned)(st.st_mode & 07777),
			                  strcmp(what, "key file") == 0 ? "400" : "600", path);
		/* Not even looked at: a folder above it is closed to this user; another's is named (a run
		 * as root with this user's HOME made it, 0700). */
		struct stat dst;
		char *closed = !stated && errnum == EACCES ? store_perm_closed(path, &dst) : NULL;
		if (closed && dst.st_uid != geteuid()) {
			store_perm_closed_fail(path, what, closed, &dst, err);
			free(closed);
			return STORE_PERMISSIONS;
		}
		free(closed);
		if (!stated && errnum == EACCES)
			return store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: %s: run as the user it is "
			                  "for, or let this one into the folders above it", what, path, strerror(errnum));
		return store_fail(err, STORE_PERMISSIONS, "cannot open the %s %s: %s", what, path, strerror(errnum));
	}
	return store_fail(err, STORE_IO, "cannot open the %s %s: %s", what, path, strerror(errnum));
}

enum store_status store_perm_file(int fd, const char *path, const char *what, bool other_ok,
                                  struct store_error *err)
{
	struct stat st;
	enum store_status s;

	if (fstat(fd, &st) != 0)
		return store_fail(err, STORE_IO, "cannot stat the %s %s: %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return store_fail(err, STORE_PERMISSIONS, "%s %s is not a regular file", what, path);
	if ((s = store_perm_owner(&st, path, what, false, other_ok, err)) != STORE_OK)
		return s;
	if (st.st_mode & 077)
		return store_fail(err, STORE_PERMISSIONS, "%s %s is accessible by group or others "
		                  "(mode %04o): run 'chmod 600 %s'", what, path,
		                  (unsigned)(st.st_mode & 07777), path);
	/* 0 links: replaced by a writer's rename after we opened it; what we
	 * read is still that whole, older file. */
	if (st.st_nlink > 1)
		return store_fail(err, STORE_PERMISSIONS, "%s %s has %lu hard links: remove the other links "
		                  "(find / -xdev -samefile %s)", what, path, (unsigned long)st.st_nlink, path);
	return STORE_OK;
}

/* own_folder: the one the program keeps its files in (made by it); home: the user's home folder. */
static enum store_status store_perm_dir(const char *dir, bool own_folder, bool home, struct store_error *err)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return store_fail(err, STORE_IO, "cannot stat the folder %s: %s", dir, strerror(errno));
	/* Only the program's own folder is to be chown'ed back (a run as root made it): one above is
	 * another's (a home kept by sudo -E, a --home in theirs), never to be taken from them. */
	if (own_folder && store_perm_owner(&st, dir, "folder", true, true, err) != STORE_OK)
		return STORE_PERMISSIONS;
	if (!own_folder && st.st_uid != geteuid() && st.st_uid != 0)
		return store_fail(err, STORE_PERMISSIONS, "folder %s belongs to uid %u, not to you (uid %u): use a "
		                  "folder of your own (--home)", dir, (unsigned)st.st_uid, (unsigned)geteuid());
	/* A home shared on purpose (HOME=/tmp) is refused as a --home there is: others could take its names. */
	if (!(st.st_mode & 022) || (!own_folder && !home && (st.st_mode & S_ISVTX)))
		return STORE_OK;
	/* A folder shared on purpose (/tmp) is never to be chmod'ed: a folder of one's own in it is. */
	if (st.st_mode & S_ISVTX)
		return store_fail(err, STORE_PERMISSIONS, "folder %s is shared (mode %04o): use a folder of your own "
		                  "in it (--home %s/NAME, made mode 0700)", dir, (unsigned)(st.st_mode & 07777),
		                  strcmp(dir, "/") == 0 ? "" : dir);
	return store_fail(err, STORE_PERMISSIONS, "folder %s is writable by group or others (mode %04o): run "
	                  "'chmod go-w %s'%s", dir, (unsigned)(st.st_mode & 07777), dir,
	                  st.st_uid == geteuid() ? "" : " as root, or use a folder of your own (--home)");
}

/*
 * Is real (resolved) in the home folder home, and that home another user's (not root's)? That is a
 * HOME kept from the user one was (sudo -E, su -m): said as such, before any folder or file in it
 * is judged, whose owner's chown would take the user's files from them.
 */
static enum store_status store_perm_home_theirs(const char *real, const char *home, struct store_error *err)
{
	struct stat st;
	size_t n = home ? strlen(home) : 0;

	if (!home || strcmp(home, "/") == 0 || strncmp(real, home, n) != 0 || (real[n] != '/' && real[n]) ||
	    stat(home, &st) != 0 || st.st_uid == geteuid() || st.st_uid == 0)
		return STORE_OK;
	return store_fail(err, STORE_PERMISSIONS, "the home folder %s (HOME) belongs to uid %u, not to you (uid %u): "
	                  "a HOME kept from another user (sudo -E, su -m)? Run with your own (sudo -H, su -), as that "
	                  "user (sudo -u, runuser -u), or give --home", home, (unsigned)st.st_uid, (unsigned)geteuid());
}

/* dir (taken) and every folder above it; dir is the own folder when own. */
static enum store_status store_perm_up(char *dir, bool own, struct store_error *err)
{
	char *real = NULL;
	enum store_status s = STORE_OK;

	if (!dir)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	real = realpath(dir, NULL);
	if (!real) {
		s = store_fail(err, STORE_IO, "cannot resolve the folder %s: %s", dir, strerror(errno));
		free(dir);
		return s;
	}
	free(dir);
	/*
	 * From the store's folder up to "/", or to the user's home folder when it is below it, as
	 * OpenSSH's safe_path: who owns the folders above a home (/srv/o for /srv/o/me) is not the
	 * user's to fix, nor does it let others into the home.
	 */
	char *home = store_perm_home();
	if ((s = store_perm_home_theirs(real, home, err)) != STORE_OK) {
		free(home);
		free(real);
		return s;
	}
	for (;; own = false) {
		char *up;
		bool at_home = home && strcmp(real, home) == 0;

		if ((s = store_perm_dir(real, own, at_home, err)) != STORE_OK || strcmp(real, "/") == 0 || at_home)
			break;
		up = strrchr(real, '/');
		if (up == real)
			up[1] = '\0';
		else
			*up = '\0';
	}
	free(home);
	free(real);
	return s;
}

bool store_perm_trusted(const char *path, const struct stat *st, const struct store_perm_trust *t, char *msg,
                        size_t msglen)
{
	struct store_error err;
	char *real = realpath(path, NULL), *home = store_perm_home();
	enum store_status hs = real ? store_perm_home_theirs(real, home, &err) : STORE_OK;

	free(real);
	free(home);
	if (hs != STORE_OK) {
		snprintf(msg, msglen, "%s", err.message);
		return false;
	}
	if (st->st_uid != geteuid() && !(t->root_ok && st->st_uid == 0)) {
		snprintf(msg, msglen, "%s belongs to uid %u, not to you (uid %u)%s: %s; run 'chown %u %s' as root if it "
		         "is yours", path, (unsigned)st->st_uid, (unsigned)geteuid(), t->root_ok ? " nor root" : "",
		         t->owner_risk, (unsigned)geteuid(), path);
		return false;
	}
	if (st->st_mode & 022) {
		snprintf(msg, msglen, "%s can be written by group or others (mode %04o): %s; %srun 'chmod 600 %s'", path,
		         (unsigned)(st->st_mode & 07777), t->write_risk, t->write_fix, path);
		return false;
	}
	if (store_perm_dirs(path, &err) != STORE_OK) {
		snprintf(msg, msglen, "%s: %s (%s)", path, err.message, t->dirs_risk);
		return false;
	}
	return true;
}

enum store_status store_perm_dirs(const char *path, struct store_error *err)
{
	const char *base;

	return store_perm_up(fileio_dir(path, &base), true, err);
}

enum store_status store_perm_tree(const char *dir, bool own, struct store_error *err)
{
	return store_perm_up(strdup(dir), own, err);
}

/*
 * Is dir writable by the effective user (as the checks of ownership above judge it)? If not, the
 * fix said: a read-only file system (where one cannot <to>), its mode, its owner (or, when dir is
 * a folder above target, yet to be made in it, how to make target as root); another reason:
 * STORE_IO, its errno in *errnum and no message.
 */
static enum store_status store_perm_writable(const char *dir, const char *target, const char *to, int *errnum,
                                             struct store_error *err)
{
	struct stat st;
	int e;

	*errnum = 0;
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0)
		return STORE_OK;
	e = errno;
	if (e == EROFS)
		return store_fail(err, STORE_IO, "folder %s is on a read-only file system: cannot %s there (give "
		                  "another --home)", dir, to);
	if (e == EACCES && stat(dir, &st) == 0 && st.st_uid == geteuid())
		return store_fail(err, STORE_PERMISSIONS, "folder %s is not writable (mode %04o): run "
		                  "'chmod u+wx %s'", dir, (unsigned)(st.st_mode & 07777), dir);
	if (e == EACCES && target)
		return store_fail(err, STORE_PERMISSIONS, "folder %s is not writable by you (uid %u): make %s as "
		                  "root ('install -d -m 700 -o %u %s'), or use a folder of your own (--home)", dir,
		                  (unsigned)geteuid(), target, (unsigned)geteuid(), target);
	if (e == EACCES)
		return store_fail(err, STORE_PERMISSIONS, "folder %s is not writable by you (uid %u): run "
		                  "'chown %u %s' as root, or use a folder of your own (--home)", dir,
		                  (unsigned)geteuid(), (unsigned)geteuid(), dir);
	*errnum = e;
	return STORE_IO;
}

enum store_status store_perm_dir_writable(const char *path, struct store_error *err)
{
	const char *base;
	char *dir = fileio_dir(path, &base);
	enum store_status s;
	int e;

	if (!dir)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	if ((s = store_perm_writable(dir, NULL, "change the secret store", &e, err)) != STORE_OK && e)
		store_fail(err, STORE_IO, "cannot write in the folder %s: %s", dir, strerror(e));
	free(dir);
	return s;
}

enum store_status store_perm_key(int fd, const char *path, bool credential, struct store_error *err)
{
	struct stat st;
	enum store_status s;
	mode_t mode;

	if (fstat(fd, &st) != 0)
		return store_fail(err, STORE_IO, "cannot stat the key file %s: %s", path, strerror(errno));
	/* A slip of the path (a folder, /dev/null, a pipe from <(...)): the operator's input, as a path not there. */
	if (!S_ISREG(st.st_mode))
		return store_fail(err, STORE_INVALID, "key file %s is %s, not a regular file: give the path of the key "
		                  "file itself (32 to %d random bytes, mode 0400)", path,
		                  S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a pipe"
		                  : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a socket",
		                  STORE_KEY_MATERIAL_MAX);
	if ((s = store_perm_owner(&st, path, "key file", true, false, err)) != STORE_OK)
		return s;
	/* Root's (a Kubernetes secret, a systemd credential) may be read by a group: the pod's, the unit's. */
	bool roots = credential || (st.st_uid == 0 && geteuid() != 0);
	mode = st.st_mode & 07777;
	if (roots ? (mode & 0137) != 0 : (mode != 0400 && mode != 0600))
		return store_fail(err, STORE_PERMISSIONS, "key file %s has mode %04o; it must be 0400 or 0600%s: run "
		                  "'chmod 400 %s'", path, (unsigned)mode, roots ? " (0440 or 0640 for root's)" : "", path);
	return STORE_OK;
}

enum store_status store_perm_dir_usable(const char *dir, const char *to, const char *risk,
                                        struct store_error *err)
{
	enum store_status ps = STORE_OK;
	struct stat st;
	char *probe = strdup(dir), *slash, why[sizeof(err->message)];
	int e = 0;

	if (!probe)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	if (stat(probe, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			e = ENOTDIR;
		else
			ps = store_perm_tree(probe, true, err);
	} else {
		/* The nearest folder that is there (at worst "/"): what is made below it is the user's own (0700). */
		e = errno;
		while (e == ENOENT && (slash = strrchr(probe, '/'))) {
			*slash = '\0';
			e = stat(*probe ? probe : "/", &st) == 0 ? 0 : errno;
		}
		if (!e)
			ps = store_perm_tree(*probe ? probe : "/", false, err);
	}
	const char *where = *probe ? probe : "/";
	bool above = strcmp(where, dir) != 0; /* dir is yet to be made in where */

	if (ps == STORE_PERMISSIONS && risk) { /* a folder others could write (or owned by another) */
		size_t n = strlen(err->message);
		snprintf(err->message + n, sizeof(err->message) - n, " %s", risk);
	}
	/* Where the file (or its folder) is made: a read-only mount, chattr +i, a mode, said before it is. */
	if (!e && ps == STORE_OK && (ps = store_perm_writable(where, above ? dir : NULL, to, &e, err)) != STORE_OK &&
	    !e) {
		snprintf(why, sizeof(why), "%s", err->message);
		store_fail(err, ps, "cannot %s in %s: %s", to, dir, why);
	}
	if (e)
		ps = store_fail(err, e == EACCES ? STORE_PERMISSIONS : STORE_IO, "cannot %s in %s: %s%s%s", to, dir,
		                above ? where : "", above ? ": " : "", strerror(e));
	free(probe);
	return ps;
}
