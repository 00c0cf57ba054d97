/*
 * Corruption sweeps over a reference 3-secret store (store-design.md §6.2,
 * §6.3): every single-bit flip, 10,000 random multi-byte corruptions, every
 * truncation and appended garbage. Each variant must be refused or give
 * byte-identical secrets: never a different value, never a crash.
 * The KDF is the light Argon2id of the test helpers (the sweep tests the
 * parser and the authentication, not Argon2's cost).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "store_format.h"
#include "store_testutil.h"

#define PASS "sweep-passphrase"
#define NSECRETS 3

static const char *const ids[NSECRETS] = { "git-pat", "git-password", "ssh-deploy" };
static const enum store_kind kinds[NSECRETS] = { STORE_KIND_TOKEN, STORE_KIND_PASSWORD,
                                                 STORE_KIND_SSH_PRIVATE_KEY };
static const char *const values[NSECRETS] = {
	"sweep-token-0123456789", "sweep password",
	"-----BEGIN OPENSSH PRIVATE KEY-----\nsweep\n-----END OPENSSH PRIVATE KEY-----\n",
};

struct sweep {
	char *dir;
	char *path;
	struct secbuf *key;
	char *ref;       /* the reference file */
	size_t ref_len;
	unsigned long refused, identical, different, tries;
};

static int setup(void **state)
{
	struct sweep *sw = calloc(1, sizeof(*sw));
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS);

	sw->dir = tmpdir_make("azrc-store");
	sw->path = tu_path(sw->dir, "secrets.store");
	if (store_create_params(sw->path, tu_params_light(), STORE_METHOD_PASSPHRASE, key, &s, &err) != STORE_OK ||
	    store_begin(s, &err) != STORE_OK)
		return -1;
	for (int i = 0; i < NSECRETS; i++) {
		struct secbuf *v = tu_sb(values[i]);
		if (store_put(s, ids[i], kinds[i], v, &err) != STORE_OK)
			return -1;
		secbuf_free(v);
	}
	if (store_commit(s, &err) != STORE_OK)
		return -1;
	store_close(s);
	sw->key = key;
	sw->ref = tu_read_file(sw->path, &sw->ref_len);
	*state = sw;
	return sw->ref ? 0 : -1;
}

static int teardown(void **state)
{
	struct sweep *sw = *state;

	tmpdir_remove(sw->dir);
	free(sw->dir);
	free(sw->path);
	free(sw->ref);
	secbuf_free(sw->key);
	free(sw);
	return 0;
}

enum verdict { REFUSED, IDENTICAL, DIFFERENT };

/*
 * Open data as the store (data has a NUL after len bytes, as the store's
 * reader leaves it): REFUSED when the load, the unlock or a secret's
 * authentication fails; IDENTICAL when it opens with exactly the three ids
 * kinds and values; DIFFERENT when it opened but a secret is missing (not
 * found after a successful unlock), has another value or kind, or the list of
 * ids differs.
 * An unexpected status fails the test.
 */
static enum verdict classify(struct sweep *sw, const char *data, size_t len, const char *what)
{
	static struct store_file parsed;
	struct store_file *f = &parsed;
	struct store_error err;
	struct store *s = NULL;
	struct store_info info;
	enum store_status st;
	enum verdict v = IDENTICAL;

	/* The parser alone first (most variants stop there); the rest goes
	 * through a file and the whole open path. */
	st = store_format_parse(data, len, &tu_params_light()->bounds, f, &err);
	store_format_clear(f);
	if (st == STORE_OK) {
		assert_int_equal(tu_write_file(sw->path, data, len, 0600), 0);
		st = store_load_params(sw->path, tu_params_light(), &s, &err);
	}
	if (st == STORE_OK)
		st = store_unlock(s, sw->key, &err);
	if (st != STORE_OK) {
		if (st == STORE_NO_STORE || st == STORE_INVALID || st == STORE_NO_MEMORY || st == STORE_NOT_FOUND)
			fail_msg("%s: unexpected status %d (%s)", what, (int)st, err.message);
		store_close(s);
		return REFUSED;
	}
	/* Unlocked: from here a missing or changed secret is a different store, not a refusal. */
	if (store_count(s) != NSECRETS)
		v = DIFFERENT;
	for (size_t i = 0; v == IDENTICAL && store_info(s, i, &info); i++) {
		int j = 0;

		while (j < NSECRETS && strcmp(info.id, ids[j]) != 0)
			j++;
		if (j == NSECRETS || info.kind != kinds[j])
			v = DIFFERENT; /* an id not in the reference, or another kind */
	}
	for (int i = 0; v == IDENTICAL && i < NSECRETS; i++) {
		struct secbuf *got = NULL;

		st = store_get(s, ids[i], &got, &err);
		if (st == STORE_TAMPERED) {
			v = REFUSED; /* a secret that does not authenticate (§5.3 step 7) */
		} else if (st == STORE_NOT_FOUND) {
			v = DIFFERENT;
		} else if (st != STORE_OK) {
			fail_msg("%s: get %s: unexpected status %d (%s)", what, ids[i], (int)st, err.message);
		} else if (got->len != strlen(values[i]) || memcmp(got->data, values[i], got->len) != 0) {
			v = DIFFERENT;
		}
		secbuf_free(got);
	}
	store_close(s);
	return v;
}

/* A variant must be refused or give byte-identical secrets (else the test fails). */
static void try_variant(struct sweep *sw, char *data, size_t len, const char *what)
{
	enum verdict v = classify(sw, data, len, what);

	sw->tries++;
	sw->refused += v == REFUSED;
	sw->identical += v == IDENTICAL;
	sw->different += v == DIFFERENT;
	if (v == DIFFERENT)
		fail_msg("%s opened with a missing, extra or different secret", what);
}

static void report(struct sweep *sw, const char *what)
{
	print_message("# %s: %lu variants: %lu refused, %lu byte-identical, %lu different\n", what, sw->tries,
	              sw->refused, sw->identical, sw->different);
	assert_int_equal(sw->refused + sw->identical, sw->tries);
	assert_int_equal(sw->different, 0);
}

/* A store made with the sweep's passphrase and KDF, with the given values
 * (NULL: that secret left out) and an optional extra secret; its bytes. */
static char *variant_store(struct sweep *sw, const char *const vals[NSECRETS], const char *extra, size_t *len)
{
	char *path = tu_path(sw->dir, "variant.store");
	struct store_error err;
	struct store *s;
	char *data;

	unlink(path);
	assert_int_equal(store_create_params(path, tu_params_light(), STORE_METHOD_PASSPHRASE, sw->key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_begin(s, &err), STORE_OK);
	for (int i = 0; i < NSECRETS; i++) {
		if (!vals[i])
			continue;
		struct secbuf *v = tu_sb(vals[i]);
		assert_int_equal(store_put(s, ids[i], kinds[i], v, &err), STORE_OK);
		secbuf_free(v);
	}
	if (extra) {
		struct secbuf *v = tu_sb("extra");
		assert_int_equal(store_put(s, extra, STORE_KIND_TOKEN, v, &err), STORE_OK);
		secbuf_free(v);
	}
	assert_int_equal(store_commit(s, &err), STORE_OK);
	store_close(s);
	data = tu_read_file(path, len);
	assert_non_null(data);
	unlink(path);
	free(path);
	return data;
}

/* The sweeps' judge can fail: a store that opens with the right key but lacks
 * a secret, holds another value, or one secret more, is DIFFERENT, never
 * counted as refused; the reference is IDENTICAL, its truncation REFUSED. */
static void test_judge(void **state)
{
	struct sweep *sw = *state;
	const char *const missing[NSECRETS] = { values[0], NULL, values[2] };
	const char *const changed[NSECRETS] = { "sweep-token-0123456788", values[1], values[2] };
	const char *const same[NSECRETS] = { values[0], values[1], values[2] };
	char *data;
	size_t len;

	data = variant_store(sw, missing, NULL, &len);
	assert_int_equal(classify(sw, data, len, "a store without git-password"), DIFFERENT);
	free(data);
	data = variant_store(sw, changed, NULL, &len);
	assert_int_equal(classify(sw, data, len, "a store with another git-pat"), DIFFERENT);
	free(data);
	data = variant_store(sw, same, "zz-extra", &len);
	assert_int_equal(classify(sw, data, len, "a store with a fourth secret"), DIFFERENT);
	free(data);
	data = variant_store(sw, same, NULL, &len);
	assert_int_equal(classify(sw, data, len, "a store with the same secrets"), IDENTICAL);
	free(data);
	assert_int_equal(classify(sw, sw->ref, sw->ref_len, "the reference"), IDENTICAL);
	char *cut = malloc(sw->ref_len);
	memcpy(cut, sw->ref, sw->ref_len - 1);
	cut[sw->ref_len - 1] = '\0';
	assert_int_equal(classify(sw, cut, sw->ref_len - 1, "the reference less its last byte"), REFUSED);
	free(cut);
}

static void test_bit_flips(void **state)
{
	struct sweep *sw = *state;
	char *buf = malloc(sw->ref_len + 1);
	char what[64];

	for (size_t i = 0; i < sw->ref_len; i++) {
		for (int b = 0; b < 8; b++) {
			memcpy(buf, sw->ref, sw->ref_len);
			buf[i] ^= (char)(1 << b);
			buf[sw->ref_len] = '\0';
			snprintf(what, sizeof(what), "flip of bit %d of byte %zu", b, i);
			try_variant(sw, buf, sw->ref_len, what);
		}
	}
	assert_int_equal(sw->tries, sw->ref_len * 8);
	report(sw, "every single-bit flip");
	free(buf);
}

static void test_random_corruptions(void **state)
{
	struct sweep *sw = *state;
	char *buf = malloc(sw->ref_len + 1);
	char what[64];

	for (int n = 0; n < 10000; n++) {
		uint32_t count = 2 + randombytes_uniform(15);

		memcpy(buf, sw->ref, sw->ref_len);
		/* Mostly clustered (one field), sometimes scattered over the file. */
		size_t at = randombytes_uniform((uint32_t)sw->ref_len);
		for (uint32_t c = 0; c < count; c++) {
			size_t pos = n % 4 ? (at + randombytes_uniform(24)) % sw->ref_len
			                   : randombytes_uniform((uint32_t)sw->ref_len);
			buf[pos] = (char)randombytes_uniform(256);
		}
		buf[sw->ref_len] = '\0';
		snprintf(what, sizeof(what), "random corruption %d", n);
		try_variant(sw, buf, sw->ref_len, what);
	}
	report(sw, "10000 random multi-byte corruptions");
	free(buf);
}

static void test_truncations(void **state)
{
	struct sweep *sw = *state;
	char what[64];

	char *buf = malloc(sw->ref_len + 1);

	for (size_t len = 0; len < sw->ref_len; len++) {
		memcpy(buf, sw->ref, len);
		buf[len] = '\0';
		snprintf(what, sizeof(what), "truncation to %zu bytes", len);
		try_variant(sw, buf, len, what);
	}
	free(buf);
	report(sw, "every truncation");
	assert_int_equal(sw->identical, 0); /* never an empty, or any, store */
}

static void test_appended_garbage(void **state)
{
	struct sweep *sw = *state;
	static const size_t sizes[] = { 1, 16, 4096 };
	char *buf = malloc(sw->ref_len + 4096 + 1);
	char what[64];

	for (size_t k = 0; k < 3; k++) {
		for (int rep = 0; rep < 20; rep++) {
			memcpy(buf, sw->ref, sw->ref_len);
			for (size_t i = 0; i < sizes[k]; i++) {
				char c;
				do
					c = (char)randombytes_uniform(256);
				while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
				buf[sw->ref_len + i] = c;
			}
			buf[sw->ref_len + sizes[k]] = '\0';
			snprintf(what, sizeof(what), "%zu garbage bytes appended", sizes[k]);
			try_variant(sw, buf, sw->ref_len + sizes[k], what);
		}
	}
	report(sw, "appended garbage (1, 16, 4096 bytes)");
	assert_int_equal(sw->identical, 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_judge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bit_flips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_corruptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appended_garbage, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store_sweep", tests, NULL, NULL);
}
