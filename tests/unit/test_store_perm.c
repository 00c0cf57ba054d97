/*
 * Permissions like OpenSSH (store-design.md §6.10) and memory hygiene
 * (§6.11): the mode/owner/link/folder matrix of the store (a first write's
 * folders too; a reset of what is not a regular file), its lock and key
 * files, modes at creation under any umask, names planted where the temp
 * file goes (never followed, never reused; stale-temp cleanup unlinks only
 * its own pattern, never through a link), the temp file's mode while it
 * exists; and a 32-byte sentinel secret
 * that is gone from the process's writable memory after store_close.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "fileio.h"
#include "store_perm.h"
#include "store_testutil.h"

#define PASS "perm-passphrase"
#define OTHER_UID 65534
#define TU_CHUNK (1u << 20)

struct fixture {
	char *dir;   /* 0700 */
	char *data;  /* dir/data: the store's folder */
	char *path;  /* dir/data/secrets.store */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->dir = tmpdir_make("azrc-store");
	fx->data = tu_path(fx->dir, "data");
	fx->path = tu_path(fx->data, "secrets.store");
	*state = fx;
	return fx->dir && mkdir(fx->data, 0700) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	tmpdir_remove(fx->dir);
	free(fx->dir);
	free(fx->data);
	free(fx->path);
	free(fx);
	return 0;
}

static void make(const char *path)
{
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("value");

	if (store_create_params(path, tu_params_memo(), STORE_METHOD_PASSPHRASE, key, &s, &err) != STORE_OK ||
	    store_put(s, "a", STORE_KIND_TOKEN, v, &err) != STORE_OK)
		fail_msg("make: %s", err.message);
	store_close(s);
	secbuf_free(key);
	secbuf_free(v);
}

/* Load (no KDF needed for the checks): the status, and the message in err. */
static enum store_status load(const char *path, struct store_error *err)
{
	struct store *s = NULL;
	enum store_status st = store_load_params(path, tu_params_memo(), &s, err);

	store_close(s);
	return st;
}

/* A file not opened for want of access: the way out only when it could not even be looked at. */
static void test_open_error_access(void **state)
{
	struct fixture *fx = *state;
	struct store_error err;
	char *key = tu_path(fx->dir, "k");

	/* Not there to look at (a folder above closed to this user: its lstat fails too). */
	assert_int_equal(store_perm_open_error(EACCES, key, "key file", false, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, "Permission denied: run as the user it is for, or let this one into "
	                                    "the folders above it"));
	/* There, one's own and readable (refused by something else: an LSM, an immutable file): no guess. */
	assert_int_equal(fileio_write_atomic(key, "0123456789abcdef0123456789abcdef", 32, NULL, NULL), 0);
	assert_int_equal(store_perm_open_error(EACCES, key, "key file", false, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, ": Permission denied"));
	assert_null(strstr(err.message, "folders above"));
	free(key);
}

static void test_store_modes(void **state)
{
	struct fixture *fx = *state;
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0666, 0700, 0610, 0601 };
	struct store_error err;
	char want[512];

	make(fx->path);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(fx->path, bad[i]), 0);
		if (bad[i] == 0700) {
			assert_int_equal(load(fx->path, &err), STORE_OK); /* owner bits are the owner's business */
			continue;
		}
		assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
		snprintf(want, sizeof(want), "run 'chmod 600 %s'", fx->path);
		assert_non_null(strstr(err.message, want));
	}
	assert_int_equal(chmod(fx->path, 0600), 0);
	assert_int_equal(load(fx->path, &err), STORE_OK);
	assert_int_equal(chmod(fx->path, 0400), 0);
	assert_int_equal(load(fx->path, &err), STORE_OK);
	assert_int_equal(store_exit_code(STORE_PERMISSIONS), 14);
}

static void test_store_links_owner(void **state)
{
	struct fixture *fx = *state;
	struct store_error err;
	char *real = tu_path(fx->data, "real.store");
	char *hard = tu_path(fx->dir, "hard.store");

	make(real);
	/* A symbolic link as the store: refused, never followed. */
	assert_int_equal(symlink(real, fx->path), 0);
	assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, "symbolic link"));
	unlink(fx->path);
	/* A hard link: two names for the secrets. */
	assert_int_equal(link(real, hard), 0);
	assert_int_equal(load(real, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, "2 hard links"));
	unlink(hard);
	assert_int_equal(load(real, &err), STORE_OK);
	/* Not a regular file. */
	assert_int_equal(mkdir(fx->path, 0700), 0);
	assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
	rmdir(fx->path);
	/* Another owner (needs root to arrange). */
	if (geteuid() == 0) {
		assert_int_equal(chown(real, OTHER_UID, OTHER_UID), 0);
		assert_int_equal(load(real, &err), STORE_PERMISSIONS);
		assert_non_null(strstr(err.message, "belongs to uid 65534"));
		assert_non_null(strstr(err.message, "chown 0"));
		assert_int_equal(chown(real, 0, 0), 0);
	} else {
		print_message("# not root: the other-owner case is covered by the shell test only\n");
	}
	free(real);
	free(hard);
}

static void test_folders(void **state)
{
	struct fixture *fx = *state;
	static const mode_t bad[] = { 0777, 0770, 0757, 0720, 0702, 01777 };
	struct store_error err;
	char want[512];

	make(fx->path);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(fx->data, bad[i]), 0);
		assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
		/* A shared folder (sticky, as /tmp) is not to be chmod'ed: one's own in it is the way. */
		if (bad[i] & S_ISVTX)
			snprintf(want, sizeof(want), "folder %s is shared (mode 1777): use a folder of your own in it "
			         "(--home %s/NAME, made mode 0700)", fx->data, fx->data);
		else
			snprintf(want, sizeof(want), "run 'chmod go-w %s'", fx->data);
		assert_non_null(strstr(err.message, want));
	}
	assert_int_equal(chmod(fx->data, 0755), 0); /* readable is fine, as for ssh */
	assert_int_equal(load(fx->path, &err), STORE_OK);
	assert_int_equal(chmod(fx->data, 0700), 0);
	/* A folder above: writable by others only with the sticky bit (like /tmp). */
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
	assert_int_equal(chmod(fx->dir, 01777), 0);
	assert_int_equal(load(fx->path, &err), STORE_OK);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	/* A symbolic link to the folder is resolved, then judged. */
	char *alias = tu_path(fx->dir, "alias");
	char *via = tu_path(alias, "secrets.store");
	assert_int_equal(symlink(fx->data, alias), 0);
	assert_int_equal(load(via, &err), STORE_OK);
	if (geteuid() == 0) {
		assert_int_equal(chown(fx->data, OTHER_UID, OTHER_UID), 0);
		assert_int_equal(load(fx->path, &err), STORE_PERMISSIONS);
		assert_non_null(strstr(err.message, "folder"));
		assert_int_equal(chown(fx->data, 0, 0), 0);
	}
	/* The folders are judged up to the home folder ($HOME) when the store is in it, as OpenSSH does. */
	char *above = tu_path(fx->dir, "above"), *home = tu_path(above, "home"), *in_home = tu_path(home, "secrets.store");
	const char *was = getenv("HOME");
	char *saved = was ? strdup(was) : NULL;
	assert_int_equal(mkdir(above, 0700), 0);
	assert_int_equal(mkdir(home, 0700), 0);
	make(in_home);
	assert_int_equal(chmod(above, 0777), 0);
	assert_int_equal(setenv("HOME", "/nonexistent", 1), 0);
	assert_int_equal(load(in_home, &err), STORE_PERMISSIONS);
	assert_int_equal(setenv("HOME", home, 1), 0);
	assert_int_equal(load(in_home, &err), STORE_OK);
	assert_int_equal(chmod(home, 0777), 0); /* the home folder itself still is */
	assert_int_equal(load(in_home, &err), STORE_PERMISSIONS);
	assert_int_equal(chmod(home, 0700), 0);
	assert_int_equal(chmod(above, 0700), 0);
	assert_int_equal(saved ? setenv("HOME", saved, 1) : unsetenv("HOME"), 0);
	free(saved);
	free(in_home);
	free(home);
	free(above);
	free(alias);
	free(via);
}

/* A first write (no store yet) judges the folders as a read would: one others can write,
 * without the sticky bit, is refused before anything is made in it. */
static void test_first_write_folders(void **state)
{
	struct fixture *fx = *state;
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("value");
	char want[512];
	char *deeper = tu_path(fx->dir, "new/secrets.store");

	assert_int_equal(chmod(fx->data, 0777), 0);
	assert_int_equal(store_prepare_dir(fx->path, &err), STORE_PERMISSIONS);
	assert_int_equal(store_create_params(fx->path, tu_params_memo(), STORE_METHOD_PASSPHRASE, key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_put(s, "a", STORE_KIND_TOKEN, v, &err), STORE_PERMISSIONS);
	snprintf(want, sizeof(want), "run 'chmod go-w %s'", fx->data);
	assert_non_null(strstr(err.message, want));
	assert_int_equal(rmdir(fx->data), 0); /* empty: no store, lock or temp file */
	store_close(s);
	/* A folder above, yet to be made in: the same. */
	assert_int_equal(chmod(fx->dir, 0777), 0);
	assert_int_equal(store_create_params(deeper, tu_params_memo(), STORE_METHOD_PASSPHRASE, key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_put(s, "a", STORE_KIND_TOKEN, v, &err), STORE_PERMISSIONS);
	snprintf(want, sizeof(want), "run 'chmod go-w %s'", fx->dir);
	assert_non_null(strstr(err.message, want));
	assert_int_equal(access(deeper, F_OK), -1);
	/* With the sticky bit (like /tmp) it is fine. */
	assert_int_equal(chmod(fx->dir, 01777), 0);
	assert_int_equal(store_put(s, "a", STORE_KIND_TOKEN, v, &err), STORE_OK);
	assert_int_equal(access(deeper, F_OK), 0);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	store_close(s);
	secbuf_free(key);
	secbuf_free(v);
	free(deeper);
}

/* Only a regular file is put aside by a reset: a folder or FIFO there is named, not moved. */
static void test_reset_not_regular(void **state)
{
	struct fixture *fx = *state;
	struct store_error err;
	char moved[600], want[600];
	struct stat st;

	for (int fifo = 0; fifo < 2; fifo++) {
		assert_int_equal(fifo ? mkfifo(fx->path, 0600) : mkdir(fx->path, 0700), 0);
		moved[0] = '\0';
		assert_int_equal(store_reset(fx->path, moved, sizeof(moved), &err), STORE_PERMISSIONS);
		snprintf(want, sizeof(want), "%s is not a regular file: look at it and move it away by hand", fx->path);
		assert_string_equal(err.message, want);
		assert_int_equal(lstat(fx->path, &st), 0);
		assert_true(fifo ? S_ISFIFO(st.st_mode) : S_ISDIR(st.st_mode));
		/* Nothing put aside: the folder holds it and the lock file only. */
		DIR *d = opendir(fx->data);
		assert_non_null(d);
		for (struct dirent *e; (e = readdir(d)) != NULL;)
			if (strncmp(e->d_name, "secrets.store.corrupt", 21) == 0)
				fail_msg("%s was put aside as %s", fifo ? "a FIFO" : "a folder", e->d_name);
		closedir(d);
		assert_int_equal(remove(fx->path), 0);
	}
}

static void test_lock_file(void **state)
{
	struct fixture *fx = *state;
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("2");
	char *lock = tu_path(fx->data, "secrets.store.lock");
	char *victim = tu_path(fx->dir, "victim");

	make(fx->path);
	assert_int_equal(store_load_params(fx->path, tu_params_memo(), &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	/* A planted symbolic link as the lock file is not followed. */
	assert_int_equal(tu_write_file(victim, "keep", 4, 0600), 0);
	unlink(lock);
	assert_int_equal(symlink(victim, lock), 0);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, "symbolic link"));
	size_t len;
	char *data = tu_read_file(victim, &len);
	assert_int_equal(len, 4);
	free(data);
	unlink(lock);
	/* A lock file others can open is refused too. */
	assert_int_equal(tu_write_file(lock, "", 0, 0666), 0);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_PERMISSIONS);
	assert_int_equal(chmod(lock, 0600), 0);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_OK);
	store_close(s);
	secbuf_free(key);
	secbuf_free(v);
	free(lock);
	free(victim);
}

/* New store, folder and key file: 0600 / 0700 / 0400 whatever the umask. */
static void test_creation_modes(void **state)
{
	struct fixture *fx = *state;
	static const mode_t masks[] = { 0, 022, 077 };
	struct store_error err;
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		char name[32];
		mode_t old = umask(masks[i]);

		snprintf(name, sizeof(name), "new-%zu", i);
		char *dir = tu_path(fx->dir, name);
		char *path = tu_path(dir, "deeper/secrets.store");
		char *deeper = tu_path(dir, "deeper");
		char *keyfile = tu_path(fx->dir, "key");
		struct secbuf *k;

		make(path);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		assert_int_equal(stat(deeper, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		assert_int_equal(stat(dir, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		unlink(keyfile);
		assert_int_equal(store_key_file_create(keyfile, &k, &err), STORE_OK);
		assert_int_equal(k->len, 32);
		secbuf_free(k);
		assert_int_equal(stat(keyfile, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0400);
		assert_int_equal(store_key_file_create(keyfile, &k, &err), STORE_INVALID); /* never over a file */
		umask(old);
		free(dir);
		free(path);
		free(deeper);
		free(keyfile);
	}
}

static void test_key_files(void **state)
{
	struct fixture *fx = *state;
	static const mode_t bad[] = { 0644, 0640, 0440, 0604, 0700, 0500, 0666 };
	char *key = tu_path(fx->dir, "store.key");
	char *link_path = tu_path(fx->dir, "link.key");
	unsigned char bytes[40];
	struct store_error err;
	struct secbuf *k;

	randombytes_buf(bytes, sizeof(bytes));
	assert_int_equal(tu_write_file(key, bytes, 40, 0400), 0);
	assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_OK);
	assert_int_equal(k->len, 40);
	secbuf_free(k);
	assert_int_equal(chmod(key, 0600), 0);
	assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_OK);
	secbuf_free(k);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(key, bad[i]), 0);
		assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_PERMISSIONS);
		assert_null(k);
		assert_non_null(strstr(err.message, "chmod 400"));
	}
	/* A systemd credential may carry a group-read ACL mask (0440), never more: no x, no group write, nothing for others. */
	static const mode_t cred_ok[] = { 0400, 0440, 0600, 0640 };
	static const mode_t cred_bad[] = { 0444, 0404, 0460, 0420, 0410, 0660, 0700, 0500, 0401, 0402 };
	for (size_t i = 0; i < sizeof(cred_ok) / sizeof(cred_ok[0]); i++) {
		assert_int_equal(chmod(key, cred_ok[i]), 0);
		if (store_key_file_read(key, true, &k, &err) != STORE_OK)
			fail_msg("credential mode %04o refused: %s", (unsigned)cred_ok[i], err.message);
		secbuf_free(k);
	}
	for (size_t i = 0; i < sizeof(cred_bad) / sizeof(cred_bad[0]); i++) {
		assert_int_equal(chmod(key, cred_bad[i]), 0);
		if (store_key_file_read(key, true, &k, &err) != STORE_PERMISSIONS)
			fail_msg("credential mode %04o taken", (unsigned)cred_bad[i]);
		assert_null(k);
	}
	/* Root's key file read by another user (a Kubernetes secret mounted for the pod's group): as a credential. */
	if (geteuid() == 0) {
		static const struct { mode_t mode; enum store_status want; } roots[] = {
			{ 0440, STORE_OK }, { 0640, STORE_OK }, { 0444, STORE_PERMISSIONS }, { 0460, STORE_PERMISSIONS },
		};
		assert_int_equal(chown(key, 0, OTHER_UID), 0);
		assert_int_equal(chmod(fx->dir, 0711), 0);
		for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
			int status = 0;
			assert_int_equal(chmod(key, roots[i].mode), 0);
			pid_t pid = fork();
			if (pid == 0) {
				struct secbuf *ck = NULL;
				struct store_error cerr;
				_exit(setgroups(0, NULL) == 0 && setgid(OTHER_UID) == 0 && setuid(OTHER_UID) == 0 &&
				      store_key_file_read(key, false, &ck, &cerr) == roots[i].want ? 0 : 1);
			}
			assert_true(pid > 0 && waitpid(pid, &status, 0) == pid);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				fail_msg("root's key file of mode %04o, read by uid %d: not judged so", (unsigned)roots[i].mode,
				         OTHER_UID);
		}
		assert_int_equal(chown(key, 0, 0), 0);
		assert_int_equal(chmod(fx->dir, 0700), 0);
	}
	assert_int_equal(chmod(key, 0400), 0);
	/* A link (a Kubernetes secret's) is followed, as ssh -i does: what it points to is judged. */
	assert_int_equal(symlink(key, link_path), 0);
	assert_int_equal(store_key_file_read(link_path, false, &k, &err), STORE_OK);
	secbuf_free(k);
	assert_int_equal(chmod(key, 0644), 0);
	assert_int_equal(store_key_file_read(link_path, false, &k, &err), STORE_PERMISSIONS);
	assert_non_null(strstr(err.message, "has mode 0644"));
	assert_int_equal(chmod(key, 0400), 0);
	/* A link to nothing: the link is named as what to fix, not "no key file". */
	char *moved = tu_path(fx->dir, "moved.key");
	assert_int_equal(rename(key, moved), 0);
	assert_int_equal(store_key_file_read(link_path, false, &k, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "is a symbolic link to "));
	assert_non_null(strstr(err.message, "which is not there: fix the link"));
	assert_int_equal(rename(moved, key), 0);
	free(moved);
	if (geteuid() == 0) {
		assert_int_equal(chown(key, OTHER_UID, OTHER_UID), 0);
		assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_PERMISSIONS);
		assert_int_equal(chown(key, 0, 0), 0);
	}
	/* Too short, too long. */
	assert_int_equal(tu_write_file(key, bytes, 31, 0400), 0);
	assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_INVALID);
	char big[1025];
	memset(big, 'k', sizeof(big));
	assert_int_equal(tu_write_file(key, big, sizeof(big), 0400), 0);
	assert_int_equal(store_key_file_read(key, false, &k, &err), STORE_INVALID);
	/* Not there: the path given is wrong (invalid input), not the disk. */
	assert_int_equal(store_key_file_read("/nonexistent/key", false, &k, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "there is no key file /nonexistent/key"));
	/* The credential not loaded: the unit's setting is named, not a key file to give. */
	assert_int_equal(store_key_file_read("/nonexistent/key", true, &k, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "the systemd credential is not there"));
	free(key);
	free(link_path);
}

/* ---- the temp file: planted names, cleanup, its mode (§6.10) ---- */

/*
 * A random source whose randombytes_random() gives start, start, start + 1,
 * start + 1, ... while rng_fixed is set, so that the temp names the writer
 * will try are known in advance (two calls per name, in whichever order the
 * compiler evaluates them); everything else stays random (getrandom).
 */
static bool rng_fixed;
static uint32_t rng_start, rng_calls;

static const char *rng_name(void)
{
	return "test-counter";
}

static void rng_buf(void *const buf, const size_t size)
{
	unsigned char *p = buf;
	size_t done = 0;

	while (done < size) {
		ssize_t n = getrandom(p + done, size - done, 0);
		if (n < 0)
			abort();
		done += (size_t)n;
	}
}

static uint32_t rng_random(void)
{
	uint32_t v;

	if (rng_fixed)
		return rng_start + rng_calls++ / 2;
	rng_buf(&v, sizeof(v));
	return v;
}

static randombytes_implementation rng_counter = {
	.implementation_name = rng_name, .random = rng_random, .buf = rng_buf,
};

/* The i-th temp name (from 0) the writer of dir/secrets.store tries from rng_start = start. */
static char *temp_name(const char *dir, uint32_t start, int i)
{
	char name[64];

	snprintf(name, sizeof(name), ".secrets.store.tmp.%08x%08x", start + (uint32_t)i, start + (uint32_t)i);
	return tu_path(dir, name);
}

static void rng_begin(uint32_t start)
{
	rng_start = start;
	rng_calls = 0;
	rng_fixed = true;
}

static void assert_content(const char *path, const char *want)
{
	size_t len;
	char *data = tu_read_file(path, &len);

	if (!data)
		fail_msg("%s: cannot read it", path);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(data, want, len);
	free(data);
}

/*
 * Something planted at the temp name the writer picks (a symbolic link to a
 * file elsewhere, a dangling link, a file, a hard link to a file elsewhere)
 * is never written through nor reused: O_EXCL|O_NOFOLLOW gives EEXIST and
 * the writer takes the next name. When all the names it tries are taken, the
 * write fails cleanly (EEXIST), the store unchanged and nothing created.
 */
static void test_temp_planted(void **state)
{
	struct fixture *fx = *state;
	const uint32_t start = 0x5eed0000;
	char *victim = tu_path(fx->dir, "victim");
	char *linked = tu_path(fx->dir, "victim-hard");
	char *absent = tu_path(fx->dir, "created-through-a-link");
	char *names[9];
	struct stat st;

	make(fx->path);
	assert_int_equal(tu_write_file(victim, "keep", 4, 0600), 0);
	assert_int_equal(tu_write_file(linked, "keep too", 8, 0600), 0);
	for (int i = 0; i < 9; i++)
		names[i] = temp_name(fx->data, start, i);
	assert_int_equal(symlink(victim, names[0]), 0);
	assert_int_equal(symlink(absent, names[1]), 0);
	assert_int_equal(tu_write_file(names[2], "planted", 7, 0644), 0);
	assert_int_equal(link(linked, names[3]), 0);
	assert_int_equal(symlink(fx->path, names[4]), 0); /* a link to the store itself */
	randombytes_set_implementation(&rng_counter);
	rng_begin(start);
	int rc = fileio_write_atomic(fx->path, "new store", 9, NULL, NULL);
	rng_fixed = false;
	assert_int_equal(rc, 0);
	assert_int_equal(rng_calls, 2 * 6); /* five names taken, the sixth used */
	assert_content(fx->path, "new store");
	assert_int_equal(lstat(fx->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_nlink, 1);
	assert_content(victim, "keep");
	assert_content(linked, "keep too");
	assert_int_equal(access(absent, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_content(names[2], "planted");
	assert_int_equal(lstat(names[0], &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(names[5], &st), -1); /* renamed to the store */
	assert_int_equal(tu_count_temps(fx->data), 5);

	/* Every name it tries is taken: -1 with EEXIST, the store as it was. */
	for (int i = 5; i < 8; i++)
		assert_int_equal(symlink(victim, names[i]), 0);
	rng_begin(start);
	rc = fileio_write_atomic(fx->path, "newer store", 11, NULL, NULL);
	int e = errno;
	rng_fixed = false;
	assert_int_equal(rc, -1);
	assert_int_equal(e, EEXIST);
	assert_int_equal(rng_calls, 2 * 8); /* eight tries, no more */
	assert_content(fx->path, "new store");
	assert_content(victim, "keep");
	assert_content(linked, "keep too");
	assert_int_equal(access(absent, F_OK), -1);
	assert_int_equal(tu_count_temps(fx->data), 8);
	assert_int_equal(lstat(names[8], &st), -1);
	randombytes_set_implementation(&randombytes_internal_implementation);
	for (int i = 0; i < 9; i++)
		free(names[i]);
	free(victim);
	free(linked);
	free(absent);
}

/*
 * The stale-temp cleanup under the lock (a real write through the store):
 * names of its pattern are unlinked without following them (the file a link
 * points to, the store included, and the other name of a hard link stay),
 * a folder of that name is left alone, names outside the pattern are kept,
 * and the write succeeds.
 */
static void test_temp_cleanup(void **state)
{
	struct fixture *fx = *state;
	static const char *const kept[] = {
		".secrets.store.tmp", ".secrets.store.tmpx", "secrets.store.tmp.1", ".secrets.store.tmp-1",
		".other.store.tmp.1", "..secrets.store.tmp.1", ".secrets.store.lock.tmp.1", "x.secrets.store.tmp.1",
	};
	char *victim = tu_path(fx->dir, "victim");
	char *hard = tu_path(fx->dir, "hard-victim");
	char *to_victim = tu_path(fx->data, ".secrets.store.tmp.link-out");
	char *to_store = tu_path(fx->data, ".secrets.store.tmp.link-store");
	char *dangling = tu_path(fx->data, ".secrets.store.tmp.dangling");
	char *hardname = tu_path(fx->data, ".secrets.store.tmp.hard");
	char *plain = tu_path(fx->data, ".secrets.store.tmp.0123456789abcdef");
	char *subdir = tu_path(fx->data, ".secrets.store.tmp.dir");
	char *inside = tu_path(subdir, "file");
	char *absent = tu_path(fx->dir, "absent");
	char before[65], after[65];
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("2");
	struct stat st;
	size_t len;
	char *data;

	make(fx->path);
	data = tu_read_file(fx->path, &len);
	tu_sha256_hex(data, len, before);
	free(data);
	assert_int_equal(tu_write_file(victim, "keep", 4, 0600), 0);
	assert_int_equal(tu_write_file(hard, "keep hard", 9, 0600), 0);
	assert_int_equal(symlink(victim, to_victim), 0);
	assert_int_equal(symlink(fx->path, to_store), 0);
	assert_int_equal(symlink(absent, dangling), 0);
	assert_int_equal(link(hard, hardname), 0);
	assert_int_equal(tu_write_file(plain, "old", 3, 0600), 0);
	assert_int_equal(mkdir(subdir, 0700), 0);
	assert_int_equal(tu_write_file(inside, "in", 2, 0600), 0);
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		char *p = tu_path(fx->data, kept[i]);
		assert_int_equal(tu_write_file(p, kept[i], strlen(kept[i]), 0600), 0);
		free(p);
	}
	assert_int_equal(store_load_params(fx->path, tu_params_memo(), &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	data = tu_read_file(fx->path, &len);
	tu_sha256_hex(data, len, after);
	free(data);
	assert_string_equal(before, after); /* reading cleans nothing, writes nothing */
	assert_int_equal(lstat(to_victim, &st), 0);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_OK);
	store_close(s);
	/* The links and files of its pattern are gone; what they pointed to is not. */
	assert_int_equal(lstat(to_victim, &st), -1);
	assert_int_equal(lstat(to_store, &st), -1);
	assert_int_equal(lstat(dangling, &st), -1);
	assert_int_equal(lstat(hardname, &st), -1);
	assert_int_equal(lstat(plain, &st), -1);
	assert_content(victim, "keep");
	assert_content(hard, "keep hard");
	assert_int_equal(stat(hard, &st), 0);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(access(absent, F_OK), -1);
	/* A folder of that name and what is in it stay; so does every other name. */
	assert_int_equal(lstat(subdir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_content(inside, "in");
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		char *p = tu_path(fx->data, kept[i]);
		assert_content(p, kept[i]);
		free(p);
	}
	/* The store itself: a regular 0600 file with both secrets. */
	assert_int_equal(lstat(fx->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(store_load_params(fx->path, tu_params_memo(), &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	assert_int_equal(store_count(s), 2);
	store_close(s);
	secbuf_free(key);
	secbuf_free(v);
	free(victim);
	free(hard);
	free(to_victim);
	free(to_store);
	free(dangling);
	free(hardname);
	free(plain);
	free(subdir);
	free(inside);
	free(absent);
}

/* What the read-back hook saw of the temp file while it existed. */
struct temp_seen {
	const char *dir;
	int files;
	mode_t mode;
	uid_t uid;
	nlink_t nlink;
	bool regular;
};

static int temp_probe(const void *data, size_t len, void *user)
{
	struct temp_seen *seen = user;
	DIR *d = opendir(seen->dir);
	struct stat st;

	(void)data;
	(void)len;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strncmp(e->d_name, ".secrets.store.tmp.", 19) != 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		seen->files++;
		seen->mode = st.st_mode & 07777;
		seen->uid = st.st_uid;
		seen->nlink = st.st_nlink;
		seen->regular = S_ISREG(st.st_mode);
	}
	closedir(d);
	return 0;
}

/* Under umask 000 and 022, the temp file exists (written, synced, before the
 * rename) as a regular 0600 file of ours with one link; so does the store.
 * The create mode itself is checked by the LD_PRELOAD probe (io_faults.sh). */
static void test_temp_mode(void **state)
{
	struct fixture *fx = *state;
	static const mode_t masks[] = { 0, 022 };
	struct stat st;

	for (size_t i = 0; i < 2; i++) {
		struct temp_seen seen = { .dir = fx->data };
		mode_t old = umask(masks[i]);
		int rc = fileio_write_atomic(fx->path, "content", 7, temp_probe, &seen);

		umask(old);
		assert_int_equal(rc, 0);
		assert_int_equal(seen.files, 1);
		assert_true(seen.regular);
		assert_int_equal(seen.mode, 0600);
		assert_int_equal(seen.uid, geteuid());
		assert_int_equal(seen.nlink, 1);
		assert_int_equal(stat(fx->path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		assert_int_equal(tu_count_temps(fx->data), 0);
	}
}

/* ---- memory (§6.11) ---- */

/*
 * Count the places the 32-byte sentinel a ^ b sits in the writable mappings
 * of this process (read through /proc/self/mem). The sentinel is never held
 * whole by the scanner: its two halves are combined byte by byte.
 */
static int sentinel_hits(const unsigned char *a, const unsigned char *b)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	int mem = open("/proc/self/mem", O_RDONLY);
	unsigned char first = a[0] ^ b[0];
	unsigned char *chunk = malloc(TU_CHUNK);
	char line[512];
	int hits = 0;

	assert_non_null(maps);
	assert_non_null(chunk);
	assert_true(mem >= 0);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' || perms[1] != 'w')
			continue;
		if (strstr(line, "[vvar]") || strstr(line, "[vsyscall]"))
			continue;
		/* Read in chunks that overlap by 31 bytes; skip the huge reservations
		 * of sanitizers (shadow memory), which hold no process data. */
		if (hi - lo > (1ul << 30))
			continue;
		for (unsigned long at = lo; at < hi; at += TU_CHUNK - 31) {
			size_t want = hi - at < TU_CHUNK ? hi - at : TU_CHUNK;
			ssize_t got = pread(mem, chunk, want, (off_t)at);

			for (ssize_t i = 0; i + 32 <= got; i++) {
				if (chunk[i] != first)
					continue;
				int j = 1;
				while (j < 32 && chunk[i + j] == (a[j] ^ b[j]))
					j++;
				hits += j == 32; /* one that straddles two chunks is whole in the second only */
			}
			if (got < (ssize_t)want || at + want >= hi)
				break;
		}
	}
	sodium_memzero(chunk, TU_CHUNK); /* the copy would be a hit of the next scan */
	free(chunk);
	close(mem);
	fclose(maps);
	return hits;
}

static void test_sentinel(void **state)
{
	struct fixture *fx = *state;
	unsigned char *a = malloc(32), *b = malloc(32);
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v, *got = NULL;

	randombytes_buf(a, 32);
	randombytes_buf(b, 32);
	v = secbuf_new(32);
	for (int i = 0; i < 32; i++)
		v->data[i] = a[i] ^ b[i];
	v->len = 32;
	/* The scanner finds it while it is alive (the test can fail). */
	assert_true(sentinel_hits(a, b) >= 1);
	assert_int_equal(store_create_params(fx->path, store_params_test(), STORE_METHOD_PASSPHRASE, key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_put(s, "sentinel", STORE_KIND_SSH_PRIVATE_KEY, v, &err), STORE_OK);
	secbuf_free(v);
	store_close(s);
	assert_int_equal(store_load_params(fx->path, store_params_test(), &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	assert_int_equal(store_get(s, "sentinel", &got, &err), STORE_OK);
	assert_int_equal(got->len, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(got->data[i], a[i] ^ b[i]);
	struct secbuf *np = tu_sb("another passphrase");
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, np, &err), STORE_OK);
	secbuf_free(np);
	assert_true(sentinel_hits(a, b) >= 1); /* in got */
	secbuf_free(got);
	store_close(s);
	secbuf_free(key);
	int hits = sentinel_hits(a, b);
	print_message("# sentinel hits in writable memory after store_close: %d\n", hits);
	assert_int_equal(hits, 0);
	/* Nor is it in the file, which holds only ciphertext. */
	size_t len;
	char *data = tu_read_file(fx->path, &len);
	for (size_t i = 0; i + 32 <= len; i++) {
		int j = 0;
		while (j < 32 && (unsigned char)data[i + j] == (a[j] ^ b[j]))
			j++;
		assert_true(j < 32);
	}
	free(data);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_links_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_write_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_not_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_creation_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temp_planted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temp_cleanup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temp_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sentinel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_error_access, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store_perm", tests, NULL, NULL);
}
