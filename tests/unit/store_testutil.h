/* Helpers shared by the store's tests and test tools. */
#ifndef AZ_STORE_TESTUTIL_H
#define AZ_STORE_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "secbuf.h"
#include "store.h"
#include "store_params.h"
#include "tmpdir.h"

/* Built with AddressSanitizer (gcc and clang spell it differently). */
#if defined(__SANITIZE_ADDRESS__)
#define TU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_ASAN 1
#endif
#endif

/* dir/name, malloc'ed. */
char *tu_path(const char *dir, const char *name);
/* Create or replace path with data and mode (exactly, whatever the umask). 0 or -1. */
int tu_write_file(const char *path, const void *data, size_t len, mode_t mode);
/* The whole file, NUL-terminated (malloc'ed), or NULL. */
char *tu_read_file(const char *path, size_t *len);
/* A secbuf copy of a C string (aborts when out of memory). */
struct secbuf *tu_sb(const char *s);
/* Lowercase hex SHA-256 of data. */
void tu_sha256_hex(const void *data, size_t len, char out[65]);
/* Hex text to bytes: the length, or -1 on bad input. */
long tu_unhex(const char *hex, unsigned char *out, size_t cap);

/* A private folder and "secrets.store" in it, for cmocka setup/teardown. */
struct tu_fixture {
	char *dir;
	char *path;
};
int tu_setup(void **state);
int tu_teardown(void **state);

/* Load with params and unlock with pass; on failure *out is NULL. */
enum store_status tu_open(const char *path, const struct store_params *params, const char *pass,
                          struct store **out, struct store_error *err);

/* How many ".secrets.store.tmp.*" files dir holds. */
int tu_count_temps(const char *dir);

/*
 * The test parameters (ops 1 / 8 MiB floor) with a memoizing KDF: the real
 * Argon2id once per (passphrase, salt, limits), then the cached result, so
 * sweeps over thousands of files test parsing and authentication, not Argon2.
 */
const struct store_params *tu_params_memo(void);
/*
 * The test parameters with a light KDF: Argon2id itself, but with 64 KiB
 * whatever the header says (about 0.2 ms). For loops of thousands of unlocks
 * (wrong passphrases, kill -9, rekey) that test the store around the KDF;
 * stores made with it open only with it.
 */
const struct store_params *tu_params_light(void);
/* How many times the memoizing KDF really ran. */
unsigned long tu_kdf_runs(void);

#endif
