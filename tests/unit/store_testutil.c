#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "store_testutil.h"

char *tu_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int tu_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	const unsigned char *p = data;
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, mode) != 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

char *tu_read_file(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;

	if (fileio_read_path(path, 64 << 20, &buf, &n) != 0)
		return NULL;
	if (len)
		*len = n;
	return buf;
}

struct secbuf *tu_sb(const char *s)
{
	struct secbuf *sb = secbuf_dup(s, strlen(s));

	if (!sb)
		abort();
	return sb;
}

void tu_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

long tu_unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;

	if (sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &n, NULL) != 0)
		return -1;
	return (long)n;
}

int tu_setup(void **state)
{
	struct tu_fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->dir = tmpdir_make("azrc-store");
	fx->path = fx->dir ? tu_path(fx->dir, "secrets.store") : NULL;
	*state = fx;
	return fx->path ? 0 : -1;
}

int tu_teardown(void **state)
{
	struct tu_fixture *fx = *state;

	tmpdir_remove(fx->dir);
	free(fx->dir);
	free(fx->path);
	free(fx);
	return 0;
}

enum store_status tu_open(const char *path, const struct store_params *params, const char *pass,
                          struct store **out, struct store_error *err)
{
	struct secbuf *key = tu_sb(pass);
	enum store_status st = store_load_params(path, params, out, err);

	if (st == STORE_OK && (st = store_unlock(*out, key, err)) != STORE_OK) {
		store_close(*out);
		*out = NULL;
	}
	secbuf_free(key);
	return st;
}

int tu_count_temps(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strncmp(e->d_name, ".secrets.store.tmp.", 19) == 0;
	closedir(d);
	return n;
}

/* The KDF cache: key = BLAKE2b of every input, value = the derived key. */
#define TU_MEMO 64
static struct {
	unsigned char in[32];
	unsigned char out[STORE_KEY_BYTES];
} tu_memo[TU_MEMO];
static unsigned tu_memo_n;
static unsigned long tu_runs;

static int tu_kdf(unsigned char master[STORE_KEY_BYTES], const unsigned char *pass, size_t len,
                  const unsigned char salt[STORE_SALT_BYTES], uint64_t ops, uint64_t mem)
{
	crypto_generichash_state st;
	unsigned char in[32];

	crypto_generichash_init(&st, NULL, 0, sizeof(in));
	crypto_generichash_update(&st, (const unsigned char *)&len, sizeof(len));
	crypto_generichash_update(&st, pass, len);
	crypto_generichash_update(&st, salt, STORE_SALT_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)&ops, sizeof(ops));
	crypto_generichash_update(&st, (const unsigned char *)&mem, sizeof(mem));
	crypto_generichash_final(&st, in, sizeof(in));
	for (unsigned i = 0; i < tu_memo_n && i < TU_MEMO; i++) {
		if (memcmp(tu_memo[i].in, in, sizeof(in)) == 0) {
			memcpy(master, tu_memo[i].out, STORE_KEY_BYTES);
			return 0;
		}
	}
	tu_runs++;
	if (store_crypto_argon2id(master, pass, len, salt, ops, mem) != 0)
		return -1;
	memcpy(tu_memo[tu_memo_n % TU_MEMO].in, in, sizeof(in));
	memcpy(tu_memo[tu_memo_n % TU_MEMO].out, master, STORE_KEY_BYTES);
	tu_memo_n++;
	return 0;
}

const struct store_params *tu_params_memo(void)
{
	static struct store_params p;

	p = *store_params_test();
	p.kdf = tu_kdf;
	return &p;
}

static int tu_kdf_light(unsigned char master[STORE_KEY_BYTES], const unsigned char *pass, size_t len,
                        const unsigned char salt[STORE_SALT_BYTES], uint64_t ops, uint64_t mem)
{
	(void)mem;
	return store_crypto_argon2id(master, pass, len, salt, ops, 64 << 10);
}

const struct store_params *tu_params_light(void)
{
	static struct store_params p;

	p = *store_params_test();
	p.kdf = tu_kdf_light;
	return &p;
}

unsigned long tu_kdf_runs(void)
{
	return tu_runs;
}
