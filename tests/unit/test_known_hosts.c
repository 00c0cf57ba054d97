/* Host keys: the pinned Azure key, known_hosts forms, changed keys, adding. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "known_hosts.h"
#include "tmpdir.h"

/* Azure's published host key (azure-facts.md §5) and its published fingerprint. */
#define AZURE_B64 \
	"AAAAB3NzaC1yc2EAAAADAQABAAABAQC7Hr1oTWqNqOlzGJOfGJ4NakVyIzf1rXYd4d7wo6jBlkLvCA4odBlL0mDUyZ0/" \
	"QUfTTqeu+tm22gOsv+VrVTMk6vwRU75gY/y9ut5Mb3bR5BV58dKXyq9A9UeB5Cakehn5Zgm6x1mKoVyf+FFn26iYqXJ" \
	"RgzIZZcZ5V6hrE0Qg39kZm4az48o0AUbf6Sp4SLdvnuMa2sVNwHBboS7EJkm57XQPVU3/QpyNLHbWDdzwtrlS+ez30S" \
	"3AdYhLKEOxAG8weOnyrtLJAUen9mTkol8oII1edf7mWWbWVf0nBmly21+nZcmCTISQBtdcyPaEno7fFQMDD26/s0lfK" \
	"ob4Kw8H"
#define AZURE_FP "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og"

/* Test keys made with ssh-keygen; the hashed lines with ssh-keygen -H. */
#define ED1 "AAAAC3NzaC1lZDI1NTE5AAAAIAG3jRGgNVWmydNUIaED4Qfu1BqFYvTguUD0uKspoDmG"
#define ED2 "AAAAC3NzaC1lZDI1NTE5AAAAIFqNz6hFC+u1EQY7VtEbnuqRIPXQROfN38GvC/wUb6SR"
#define RSA3 \
	"AAAAB3NzaC1yc2EAAAADAQABAAAAgQD5ctWA1dB3tZfYWxUaN4vzBrWIOzipA6VGg9SmgiSqtP7NPD0cX5gjhcUptzJUv7h" \
	"yZvi7Pghso+2rKAQxU3yndp58yYiU5ULpZoNHWKlhwJSgAtKvNtFHkNzIn12LgYguk8iVPVxDQvdE4m/AImO4CJn082aFqgY7" \
	"Bj4a9TcHiw=="
#define HASHED_GIT_EXAMPLE "|1|fymBhlptIHF55lAWJqmH9o4qAXg=|9KDHQOqr1p6U+nOh2LuW1/ZgbBA="
#define HASHED_GIT_EXAMPLE_2222 "|1|AU34CXHkBITOVAVT6YpZjxj1Oyk=|ppWsKuA6apIs8pupcwkpAczHol4="

struct fixture {
	char *dir;
	char file[PATH_MAX];
	ssh_key ed1, ed2, rsa3, azure;
};

static ssh_key key(const char *b64, enum ssh_keytypes_e type)
{
	ssh_key k = NULL;

	assert_int_equal(ssh_pki_import_pubkey_base64(b64, type, &k), SSH_OK);
	return k;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = tmpdir_make("azrc-kh");
	assert_non_null(f->dir);
	snprintf(f->file, sizeof(f->file), "%s/known_hosts", f->dir);
	f->ed1 = key(ED1, SSH_KEYTYPE_ED25519);
	f->ed2 = key(ED2, SSH_KEYTYPE_ED25519);
	f->rsa3 = key(RSA3, SSH_KEYTYPE_RSA);
	f->azure = key(AZURE_B64, SSH_KEYTYPE_RSA);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tmpdir_remove(f->dir);
	free(f->dir);
	ssh_key_free(f->ed1);
	ssh_key_free(f->ed2);
	ssh_key_free(f->rsa3);
	ssh_key_free(f->azure);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static enum known_hosts_verdict check1(const char *file, const char *host, int port, ssh_key k,
                                       struct known_hosts_where *w)
{
	const char *files[] = { file };

	return known_hosts_check(files, 1, host, port, k, w);
}

/* A second known_hosts file in the fixture's folder. */
static const char *second_file(struct fixture *f)
{
	static char path[160];

	snprintf(path, sizeof(path), "%s/second_known_hosts", f->dir);
	return path;
}

static void test_pinned(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w = { .file = "x", .line = -1 };
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	/* The pinned key is the one Microsoft publishes. */
	assert_int_equal(ssh_get_publickey_hash(f->azure, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen), 0);
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	assert_string_equal(fp, AZURE_FP);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);

	assert_int_equal(known_hosts_check(NULL, 0, "ssh.dev.azure.com", 22, f->azure, &w), KNOWN_HOSTS_MATCH);
	assert_null(w.file);
	assert_int_equal(known_hosts_check(NULL, 0, "SSH.dev.Azure.com", 0, f->azure, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(known_hosts_check(NULL, 0, "vs-ssh.visualstudio.com", 22, f->azure, &w),
	                 KNOWN_HOSTS_MATCH);
	/* Another RSA key for Azure is a mismatch, even if a file lists it. */
	write_file(f->file, "ssh.dev.azure.com ssh-rsa " RSA3 "\n");
	assert_int_equal(check1(f->file, "ssh.dev.azure.com", 22, f->rsa3, &w), KNOWN_HOSTS_CHANGED);
	assert_null(w.file);
	/* Another port is another host: not pinned. */
	assert_int_equal(known_hosts_check(NULL, 0, "ssh.dev.azure.com", 2222, f->azure, &w),
	                 KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(known_hosts_check(NULL, 0, "example.com", 22, f->azure, &w), KNOWN_HOSTS_UNKNOWN);
}

static void test_forms(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;

	write_file(f->file,
	           "# a comment\n"
	           "\n"
	           "   \n"
	           "garbage without a key\n"
	           "other.example.com ssh-ed25519 " ED2 "\n"
	           "alpha.example.com,beta.example.com ssh-ed25519 " ED1 " a comment\n"
	           "*.wild.example.com\tssh-ed25519\t" ED1 "\n"
	           "[port.example.com]:2222 ssh-ed25519 " ED1 "\n"
	           HASHED_GIT_EXAMPLE " ssh-ed25519 " ED1 "\n"
	           HASHED_GIT_EXAMPLE_2222 " ssh-ed25519 " ED2 "\n"
	           "@cert-authority *.ca.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(check1(f->file, "beta.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_string_equal(w.file, f->file);
	assert_int_equal(w.line, 6);
	assert_int_equal(check1(f->file, "x.wild.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(w.line, 7);
	assert_int_equal(check1(f->file, "port.example.com", 2222, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(check1(f->file, "port.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(w.line, 9);
	assert_int_equal(check1(f->file, "git.example.com", 2222, f->ed2, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(w.line, 10);
	/* A negated pattern: that host is not one the line lists, though the wildcard matches it. */
	write_file(second_file(f), "!git.neg.example.com,*.neg.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(check1(second_file(f), "x.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(check1(second_file(f), "git.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	write_file(second_file(f), "[*.neg.example.com]:2222,![GIT?.neg.example.com]:2222 ssh-ed25519 " ED1 "\n");
	assert_int_equal(check1(second_file(f), "web.neg.example.com", 2222, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(check1(second_file(f), "git2.neg.example.com", 2222, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(second_file(f), "git22.neg.example.com", 2222, f->ed1, &w), KNOWN_HOSTS_MATCH);
	/* Stars in a row, a '*' at the end, '?' and '*' mixed: as OpenSSH matches them. */
	write_file(second_file(f), "!g*t**.*?g.example.c*,*.neg.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(check1(second_file(f), "git.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(second_file(f), "gt.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(second_file(f), "git.ne.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(second_file(f), "web.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	/* Forty stars that never match: answered at once (a backtracking matcher takes forever). */
	write_file(second_file(f), "!****************************************zz,*.neg.example.com ssh-ed25519 "
	           ED1 "\n");
	assert_int_equal(check1(second_file(f), "web.neg.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	/* Markers are not honoured: a CA line never vouches for a host key. */
	assert_int_equal(check1(f->file, "x.ca.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	/* Missing files and NULL entries list nothing. */
	assert_int_equal(check1("/nonexistent/known_hosts", "beta.example.com", 22, f->ed1, &w),
	                 KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(check1(NULL, "beta.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
}

static void test_changed(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	char second[160];
	const char *files[2] = { f->file, second };

	write_file(f->file, "git.example.com ssh-ed25519 " ED2 "\n"
	                    "git.example.com ssh-rsa " RSA3 "\n");
	/* Same type, other key: changed, naming the line. */
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_CHANGED);
	assert_string_equal(w.file, f->file);
	assert_int_equal(w.line, 1);
	/* A key of a type not listed is unknown, not changed. */
	write_file(f->file, "git.example.com ssh-rsa " RSA3 "\n");
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);

	/* A match in any file wins over an old key in another (as in OpenSSH). */
	snprintf(second, sizeof(second), "%s/user_known_hosts", f->dir);
	write_file(f->file, "git.example.com ssh-ed25519 " ED2 "\n");
	write_file(second, "git.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(known_hosts_check(files, 2, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_string_equal(w.file, second);
	assert_int_equal(known_hosts_check(files, 2, "git.example.com", 22, f->ed2, &w), KNOWN_HOSTS_MATCH);
	assert_string_equal(w.file, f->file);
}

/* A linked file is read (a dotfile manager's ~/.ssh); one that is there but unreadable is said. */
static void test_unreadable(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	char link[160], other[160];
	const char *files[2] = { f->file, link };

	snprintf(link, sizeof(link), "%s/linked_known_hosts", f->dir);
	snprintf(other, sizeof(other), "%s/elsewhere", f->dir);
	write_file(other, "git.example.com ssh-ed25519 " ED2 "\n");
	assert_int_equal(symlink(other, link), 0);
	/* Through the link: another key for the host, so changed (not unknown, offered for trust). */
	assert_int_equal(check1(link, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_CHANGED);
	assert_string_equal(w.file, link);
	/* A FIFO (or a folder) where the file is: not waited on, and the key is not just unknown. */
	write_file(f->file, "other.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(unlink(link), 0);
	assert_int_equal(mkfifo(link, 0600), 0);
	assert_int_equal(known_hosts_check(files, 2, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNREADABLE);
	assert_string_equal(w.file, link);
	assert_int_equal(w.err, EINVAL);
	/* ... but a key another file lists is still known. */
	assert_int_equal(known_hosts_check(files, 2, "other.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_string_equal(w.file, f->file);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(mkdir(link, 0700), 0);
	assert_int_equal(check1(link, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNREADABLE);
	assert_int_equal(rmdir(link), 0);
	/* Linked to /dev/null (as OpenSSH reads it): empty, so the key is only unknown. */
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_int_equal(check1(link, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	assert_int_equal(unlink(link), 0);
}

/*
 * A file others could have written (its mode, its owner, its folder) decides nothing: UNSAFE, with
 * the fix, even when a safe file lists the key too (a planted line might revoke or replace it).
 */
static void test_unsafe(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	const char *files[2] = { second_file(f), f->file };

	write_file(f->file, "git.example.com ssh-ed25519 " ED1 "\n");
	write_file(second_file(f), "git.example.com ssh-ed25519 " ED1 "\n");
	assert_int_equal(chmod(f->file, 0600), 0);
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(chmod(f->file, 0666), 0);
	assert_int_equal(known_hosts_check(files, 2, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNSAFE);
	assert_string_equal(w.file, f->file);
	assert_non_null(strstr(w.why, "can be written by group or others (mode 0666)"));
	assert_non_null(strstr(w.why, "chmod 600"));
	assert_int_equal(chmod(f->file, 0644), 0);
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	/* Its folder writable by others: the file could be replaced. */
	assert_int_equal(chmod(f->dir, 0777), 0);
	assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNSAFE);
	assert_non_null(strstr(w.why, "others could replace the host keys it lists"));
	assert_int_equal(chmod(f->dir, 0700), 0);
	/* Another user's file (root can make one). */
	if (geteuid() == 0) {
		assert_int_equal(chown(f->file, 65534, (gid_t)-1), 0);
		assert_int_equal(check1(f->file, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_UNSAFE);
		assert_non_null(strstr(w.why, "belongs to uid 65534"));
		assert_int_equal(chown(f->file, 0, (gid_t)-1), 0);
	}
}

/* A key marked @revoked for the host is refused, whatever lists it (another file, the pinned key). */
static void test_revoked(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	char second[160];
	const char *files[2] = { second, f->file };
	char algs[128];

	snprintf(second, sizeof(second), "%s/user_known_hosts", f->dir);
	write_file(second, "git.example.com ssh-ed25519 " ED1 "\n");
	write_file(f->file, "# old key\n"
	                    "@revoked  *.example.com\tssh-ed25519 " ED1 "\n"
	                    "@revoked git.example.com ssh-ed25519 " ED2 "\n");
	assert_int_equal(known_hosts_check(files, 2, "git.example.com", 22, f->ed1, &w), KNOWN_HOSTS_REVOKED);
	assert_string_equal(w.file, f->file);
	assert_int_equal(w.line, 2);
	/* Only for the hosts the line names; a revoked line never makes its key known, nor changed. */
	assert_int_equal(known_hosts_check(files, 2, "git.example.org", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
	write_file(second, "");
	assert_int_equal(known_hosts_check(files, 2, "other.example.com", 22, f->ed2, &w), KNOWN_HOSTS_UNKNOWN);
	/* Nor asks the server for its type. */
	known_hosts_algorithms(files, 2, "git.example.com", 22, algs, sizeof(algs));
	assert_string_equal(algs, "");
	/* Revoking takes trust away even from the pinned key. */
	write_file(f->file, "@revoked ssh.dev.azure.com ssh-rsa " AZURE_B64 "\n");
	assert_int_equal(check1(f->file, "ssh.dev.azure.com", 22, f->azure, &w), KNOWN_HOSTS_REVOKED);
	assert_int_equal(check1(NULL, "ssh.dev.azure.com", 22, f->azure, &w), KNOWN_HOSTS_MATCH);
}

static void test_algorithms(void **state)
{
	struct fixture *f = *state;
	const char *files[] = { f->file };
	char algs[128];

	write_file(f->file, "git.example.com ssh-rsa " RSA3 "\n"
	                    "git.example.com ssh-ed25519 " ED1 "\n"
	                    "git.example.com ssh-ed25519 " ED2 "\n"
	                    "other.example.com ssh-ed25519 " ED2 "\n");
	known_hosts_algorithms(files, 1, "git.example.com", 22, algs, sizeof(algs));
	assert_string_equal(algs, "rsa-sha2-512,rsa-sha2-256,ssh-ed25519");
	known_hosts_algorithms(files, 1, "other.example.com", 22, algs, sizeof(algs));
	assert_string_equal(algs, "ssh-ed25519");
	known_hosts_algorithms(files, 1, "new.example.com", 22, algs, sizeof(algs));
	assert_string_equal(algs, "");
	/* Azure: its pinned RSA key only, whatever the files say. */
	write_file(f->file, "ssh.dev.azure.com ssh-ed25519 " ED1 "\n");
	known_hosts_algorithms(files, 1, "ssh.dev.azure.com", 22, algs, sizeof(algs));
	assert_string_equal(algs, "rsa-sha2-512,rsa-sha2-256");
	/* Too small an output is never overrun. */
	known_hosts_algorithms(NULL, 0, "ssh.dev.azure.com", 22, algs, 8);
	assert_true(strlen(algs) < 8);
}

static void test_add(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	char path[160], *text;
	struct stat st;
	FILE *fp;
	long n;

	/* A new file in a new folder, private. */
	snprintf(path, sizeof(path), "%s/data/azrepos-connect/known_hosts", f->dir);
	assert_int_equal(known_hosts_add(path, "Git.Example.com", 2222, "ssh-ed25519 " ED1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(check1(path, "git.example.com", 2222, f->ed1, &w), KNOWN_HOSTS_MATCH);
	assert_int_equal(w.line, 1);

	/* Appended after existing lines, a missing final newline added. */
	write_file(f->file, "# mine\nother.example.com ssh-ed25519 " ED2);
	assert_int_equal(known_hosts_add(f->file, "git.example.com", 22, "ssh-ed25519 " ED1), 0);
	fp = fopen(f->file, "r");
	assert_non_null(fp);
	text = calloc(1, 4096);
	assert_non_null(text);
	n = (long)fread(text, 1, 4095, fp);
	fclose(fp);
	assert_true(n > 0);
	assert_string_equal(text, "# mine\nother.example.com ssh-ed25519 " ED2 "\ngit.example.com ssh-ed25519 " ED1 "\n");
	/* The same key again (another run accepted it meanwhile): its line is not added twice. */
	assert_int_equal(known_hosts_add(f->file, "git.example.com", 22, "ssh-ed25519 " ED1), 0);
	assert_int_equal(known_hosts_add(f->file, "other.example.com", 22, "ssh-ed25519 " ED2), 0);
	fp = fopen(f->file, "r");
	assert_non_null(fp);
	memset(text, 0, 4096);
	n = (long)fread(text, 1, 4095, fp);
	fclose(fp);
	assert_string_equal(text, "# mine\nother.example.com ssh-ed25519 " ED2 "\ngit.example.com ssh-ed25519 " ED1 "\n");
	free(text);

	/* A line break in the key would add a line of the caller's choosing. */
	errno = 0;
	assert_int_equal(known_hosts_add(f->file, "git.example.com", 22, "ssh-ed25519 " ED1 "\nevil ssh-rsa x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(known_hosts_add(f->file, "bad host", 22, "ssh-ed25519 " ED1), -1);
	assert_int_equal(check1(f->file, "evil", 22, f->ed1, &w), KNOWN_HOSTS_UNKNOWN);
}

/* Writers at once: each adds its lines; the lock keeps every line (none lost to a rewrite). */
#define ADDERS 8
#define ADDS 25

static void test_add_concurrent(void **state)
{
	struct fixture *f = *state;
	struct known_hosts_where w;
	char host[64];
	size_t lines = 0;
	pid_t pids[ADDERS];
	FILE *fp;
	int c;

	for (int i = 0; i < ADDERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int failed = 0;

			for (int j = 0; j < ADDS; j++) {
				snprintf(host, sizeof(host), "h%d-%d.example.com", i, j);
				failed |= known_hosts_add(f->file, host, 22, "ssh-ed25519 " ED1) != 0;
			}
			_exit(failed);
		}
	}
	for (int i = 0; i < ADDERS; i++) {
		int st;

		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	fp = fopen(f->file, "r");
	assert_non_null(fp);
	while ((c = fgetc(fp)) != EOF)
		lines += c == '\n';
	fclose(fp);
	assert_int_equal(lines, ADDERS * ADDS);
	for (int i = 0; i < ADDERS; i++) {
		snprintf(host, sizeof(host), "h%d-%d.example.com", i, ADDS - 1);
		assert_int_equal(check1(f->file, host, 22, f->ed1, &w), KNOWN_HOSTS_MATCH);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pinned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_algorithms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_concurrent, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("known_hosts", tests, NULL, NULL);
}
