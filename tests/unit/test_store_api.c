/*
 * The store API (store-design.md §5, §6.4, §6.5, §6.12, §6.14, §6.15, §6.16):
 * round trips, edge values, transactions, binding (splice) tests with a
 * recomputed MAC, wrong passphrases, rekey, refusing to write over a store
 * that does not verify, stale temp files, the lock deadline, small memory;
 * the limits (key material, generation counter, file size) and a clock gone back.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "exitcode.h"
#include "store_crypto.h"
#include "store_format.h"
#include "store_testutil.h"

#define PASS "api-test-passphrase"


static const struct store_params *P(void)
{
	return tu_params_memo();
}

static void put_text(struct store *s, const char *id, enum store_kind kind, const char *value)
{
	struct store_error err;
	struct secbuf *v = tu_sb(value);
	enum store_status st = store_put(s, id, kind, v, &err);

	secbuf_free(v);
	if (st != STORE_OK)
		fail_msg("put %s: %s", id, err.message);
}

/* A store at path with pass and the given id=value token pairs (NULL-ended). */
static struct store *make_store(const char *path, const char *pass, ...)
{
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(pass);
	va_list ap;

	if (store_create_params(path, P(), STORE_METHOD_PASSPHRASE, key, &s, &err) != STORE_OK)
		fail_msg("create: %s", err.message);
	secbuf_free(key);
	assert_int_equal(store_begin(s, &err), STORE_OK);
	va_start(ap, pass);
	for (const char *id; (id = va_arg(ap, const char *)) != NULL;)
		put_text(s, id, STORE_KIND_TOKEN, va_arg(ap, const char *));
	va_end(ap);
	assert_int_equal(store_commit(s, &err), STORE_OK);
	return s;
}

/* Load and unlock; the status of whichever step failed. */
static enum store_status open_store(const char *path, const char *pass, struct store **out,
                                    struct store_error *err)
{
	return tu_open(path, P(), pass, out, err);
}

static void check_value(struct store *s, const char *id, const void *want, size_t len)
{
	struct store_error err;
	struct secbuf *v = NULL;

	if (store_get(s, id, &v, &err) != STORE_OK)
		fail_msg("get %s: %s", id, err.message);
	assert_int_equal(v->len, len);
	assert_memory_equal(v->data, want, len);
	assert_int_equal(v->data[v->len], 0);
	secbuf_free(v);
}

static void file_digest(const char *path, char hex[65])
{
	size_t len;
	char *data = tu_read_file(path, &len);

	assert_non_null(data);
	tu_sha256_hex(data, len, hex);
	free(data);
}

/* ---- known answers through the linked libsodium (§6.12) ---- */

static void test_kat(void **state)
{
	/* Argon2id v1.3 reference vector (phc-winner-argon2 test.c: t=2, m=64 MiB, p=1). */
	static const char ref[crypto_pwhash_STRBYTES] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
	/* draft-irtf-cfrg-xchacha-03 A.3.1 */
	static const char pt[] = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
	                         "the future, sunscreen would be it.";
	static const char want_hex[] =
		"bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
		"ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
		"21f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf49";
	unsigned char key[32], nonce[24], ad[12], ct[sizeof(pt) - 1 + 16], want[sizeof(ct)];
	unsigned char master[32];
	char hex[65];
	unsigned char salt[16];

	(void)state;
	assert_int_equal(crypto_pwhash_str_verify(ref, "password", 8), 0);
	assert_int_equal(crypto_pwhash_str_verify(ref, "passwore", 8), -1);
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)(0x80 + i);
	for (int i = 0; i < 24; i++)
		nonce[i] = (unsigned char)(0x40 + i);
	assert_int_equal(tu_unhex("50515253c0c1c2c3c4c5c6c7", ad, sizeof(ad)), 12);
	assert_int_equal(tu_unhex(want_hex, want, sizeof(want)), (long)sizeof(want));
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, (const unsigned char *)pt, sizeof(pt) - 1, ad,
	                                           sizeof(ad), NULL, nonce, key);
	assert_memory_equal(ct, want, sizeof(want));
	/* Our use of Argon2id (32-byte output, ALG_ARGON2ID13, ops 1 / 8 MiB): pinned, so a
	 * change of the KDF call would show here before it locks anyone out. */
	memset(salt, 's', sizeof(salt));
	assert_int_equal(store_crypto_argon2id(master, (const unsigned char *)"password", 8, salt, 1, 8 << 20), 0);
	tu_sha256_hex(master, sizeof(master), hex);
	assert_string_equal(hex, "7cf4d323514c8aa1c63179c8b666ba2c18f77bed4e5ba2c8439e96dd1c9ac175");
}

/* ---- round trip, listing, edge values ---- */

static void test_roundtrip(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "git-pat", "tok-1", "api-pat", "tok-2", NULL);
	struct store_info info;
	struct stat st;
	time_t now = time(NULL);

	assert_int_equal(store_generation(s), 1);
	store_close(s);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_int_equal(store_count(s), 2);
	assert_true(store_info(s, 0, &info));
	assert_string_equal(info.id, "api-pat"); /* sorted */
	assert_int_equal(info.kind, STORE_KIND_TOKEN);
	assert_true(info.created <= info.updated && info.updated <= now + 1 && info.created > now - 60);
	assert_true(store_info(s, 1, &info));
	assert_string_equal(info.id, "git-pat");
	assert_false(store_info(s, 2, &info));
	check_value(s, "git-pat", "tok-1", 5);
	check_value(s, "api-pat", "tok-2", 5);
	assert_int_equal(store_method(s), STORE_METHOD_PASSPHRASE);
	store_close(s);
	/* Nothing is listed before authentication. */
	assert_int_equal(store_load_params(fx->path, P(), &s, &err), STORE_OK);
	assert_int_equal(store_count(s), 0);
	assert_false(store_info(s, 0, &info));
	store_close(s);
}

static void test_edge_values(void **state)
{
	struct tu_fixture *fx = *state;
	static const size_t sizes[] = { 1, 255, 256, 257, 12 * 1024, 65536 };
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, NULL);
	unsigned char *buf = malloc(65537);
	struct secbuf *v;
	char id[32];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		randombytes_buf(buf, sizes[i]);
		v = secbuf_dup(buf, sizes[i]);
		snprintf(id, sizeof(id), "size-%zu", sizes[i]);
		assert_int_equal(store_put(s, id, STORE_KIND_SSH_PRIVATE_KEY, v, &err), STORE_OK);
		check_value(s, id, buf, sizes[i]);
		secbuf_free(v);
	}
	/* 64 KiB + 1, empty, newline / CR / NUL in text kinds: refused at input. */
	v = secbuf_dup(buf, 65537);
	assert_int_equal(store_put(s, "too-big", STORE_KIND_SSH_PRIVATE_KEY, v, &err), STORE_INVALID);
	secbuf_free(v);
	v = secbuf_dup("", 0);
	assert_int_equal(store_put(s, "empty", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	secbuf_free(v);
	for (int k = STORE_KIND_TOKEN; k < STORE_KIND_COUNT; k++) {
		if (k == STORE_KIND_SSH_PRIVATE_KEY)
			continue;
		static const char *const bad[] = { "a\nb", "a\rb", "a\0b" };

		for (int b = 0; b < 3; b++) {
			v = secbuf_dup(bad[b], 3);
			assert_int_equal(store_put(s, "text", (enum store_kind)k, v, &err), STORE_INVALID);
			secbuf_free(v);
		}
	}
	/* Binary-safe where it may be: NUL, non-UTF-8, newlines. */
	v = secbuf_dup("a\0b\xc3\x28\xfe\n", 7);
	assert_int_equal(store_put(s, "binary", STORE_KIND_SSH_PRIVATE_KEY, v, &err), STORE_OK);
	secbuf_free(v);
	/* ids: case, '..', length, first character, kind list. */
	v = tu_sb("x");
	assert_int_equal(store_put(s, "Git-pat", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	assert_int_equal(store_put(s, "a..b", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	assert_int_equal(store_put(s, "-a", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	assert_int_equal(store_put(s, "", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	memset(id, 'a', sizeof(id));
	char long_id[66];
	memset(long_id, 'a', 65);
	long_id[65] = '\0';
	assert_int_equal(store_put(s, long_id, STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	long_id[64] = '\0';
	assert_int_equal(store_put(s, long_id, STORE_KIND_TOKEN, v, &err), STORE_OK);
	assert_int_equal(store_put(s, "ok", (enum store_kind)STORE_KIND_COUNT, v, &err), STORE_INVALID);
	secbuf_free(v);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	check_value(s, "binary", "a\0b\xc3\x28\xfe\n", 7);
	assert_int_equal(store_count(s), 8);
	store_close(s);
	free(buf);
}

static void test_update_delete(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", "b", "2", NULL);
	struct store_info before, after;
	struct secbuf *v = NULL;
	char id[8];

	assert_true(store_info(s, 0, &before));
	int64_t created = before.created;
	put_text(s, "a", STORE_KIND_PASSWORD, "changed");
	assert_true(store_info(s, 0, &after));
	assert_int_equal(after.kind, STORE_KIND_PASSWORD);
	assert_int_equal(after.created, created);
	assert_true(after.updated >= created);
	check_value(s, "a", "changed", 7);
	assert_int_equal(store_delete(s, "a", &err), STORE_OK);
	assert_int_equal(store_get(s, "a", &v, &err), STORE_NOT_FOUND);
	assert_null(v);
	assert_non_null(strstr(err.message, "no secret 'a'"));
	assert_int_equal(store_delete(s, "a", &err), STORE_NOT_FOUND);
	assert_int_equal(store_count(s), 1);
	/* 64 secrets at most. */
	assert_int_equal(store_begin(s, &err), STORE_OK);
	for (int i = 0; i < 63; i++) {
		snprintf(id, sizeof(id), "n%02d", i);
		put_text(s, id, STORE_KIND_TOKEN, "v");
	}
	v = tu_sb("v");
	assert_int_equal(store_put(s, "overflow", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	secbuf_free(v);
	assert_int_equal(store_commit(s, &err), STORE_OK);
	assert_int_equal(store_count(s), 64);
	store_close(s);
}

static void test_transaction(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	char before[65], after[65];
	uint64_t gen = store_generation(s);

	assert_int_equal(store_begin(s, &err), STORE_OK);
	assert_int_equal(store_begin(s, &err), STORE_INVALID);
	put_text(s, "b", STORE_KIND_TOKEN, "2");
	put_text(s, "c", STORE_KIND_TOKEN, "3");
	check_value(s, "b", "2", 1); /* the transaction's view */
	assert_int_equal(store_commit(s, &err), STORE_OK);
	assert_int_equal(store_generation(s), gen + 1); /* one write */
	file_digest(fx->path, before);
	assert_int_equal(store_begin(s, &err), STORE_OK);
	put_text(s, "a", STORE_KIND_TOKEN, "dropped");
	assert_int_equal(store_delete(s, "b", &err), STORE_OK);
	store_abort(s);
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	check_value(s, "a", "1", 1);
	check_value(s, "b", "2", 1);
	assert_int_equal(store_commit(s, &err), STORE_INVALID);
	store_close(s);
}

/* ---- binding: splices with a recomputed MAC still fail (§6.4) ---- */

struct raw {
	struct store_file f;
	struct store_keys *k;
};

/* Parse path and derive its keys with pass, through the internal API. */
static void raw_load(const char *path, const char *pass, struct raw *r)
{
	size_t len;
	char *data = tu_read_file(path, &len);
	struct store_error err;

	assert_non_null(data);
	assert_int_equal(store_format_parse(data, len, &P()->bounds, &r->f, &err), STORE_OK);
	free(data);
	r->k = store_keys_new();
	assert_int_equal(store_crypto_master(&r->f, (const unsigned char *)pass, strlen(pass), P()->kdf, r->k,
	                                     &err), STORE_OK);
	assert_true(store_crypto_check_ok(&r->f, r->k));
	assert_int_equal(store_crypto_open(&r->f, r->k, &err), STORE_OK);
}

/* f as the file at path, as it is (its MAC too). */
static void raw_write(const struct store_file *f, const char *path)
{
	char *json;
	size_t len;

	assert_int_equal(store_format_serialize(f, &json, &len), 0);
	assert_int_equal(tu_write_file(path, json, len, 0600), 0);
	free(json);
}

/* Write r back with a valid MAC (an attacker who knows the MAC key). */
static void raw_save(struct raw *r, const char *path)
{
	store_crypto_mac(&r->f, r->k, r->f.mac);
	raw_write(&r->f, path);
}

static void raw_free(struct raw *r)
{
	store_format_clear(&r->f);
	store_keys_free(r->k);
}

/* Every secret of r in the clear, for raw_reseal after a change of the header or dates. */
static struct secbuf **raw_values(const struct raw *r)
{
	struct secbuf **v = calloc(r->f.count + 1, sizeof(*v));
	struct store_error err;

	assert_non_null(v);
	for (size_t i = 0; i < r->f.count; i++)
		assert_int_equal(store_crypto_decrypt(&r->f, i, r->k, &v[i], &err), STORE_OK);
	return v;
}

/* Write r as the program would (a store it could have made): every secret
 * encrypted again for the header and dates as they are now, then sealed. */
static void raw_reseal(struct raw *r, struct secbuf **values, const char *path)
{
	for (size_t i = 0; i < r->f.count; i++) {
		assert_int_equal(store_crypto_encrypt(&r->f, i, r->k, values[i]->data, values[i]->len), 0);
		secbuf_free(values[i]);
	}
	free(values);
	store_crypto_seal(&r->f, r->k);
	raw_write(&r->f, path);
}

static void swap_bytes(void *a, void *b, size_t n)
{
	unsigned char t[STORE_NONCE_BYTES];

	memcpy(t, a, n);
	memcpy(a, b, n);
	memcpy(b, t, n);
}

/* Every secret of path either fails to authenticate or is unchanged: the
 * count of secrets that fail is returned. */
static int tampered_gets(const char *path)
{
	struct store_error err;
	struct store *s;
	struct store_info info;
	int bad = 0;

	assert_int_equal(open_store(path, PASS, &s, &err), STORE_OK);
	for (size_t i = 0; store_info(s, i, &info); i++) {
		struct secbuf *v = NULL;
		enum store_status st = store_get(s, info.id, &v, &err);

		assert_true(st == STORE_OK || st == STORE_TAMPERED);
		bad += st == STORE_TAMPERED;
		secbuf_free(v);
	}
	store_close(s);
	return bad;
}

static void test_splice(void **state)
{
	struct tu_fixture *fx = *state;
	char *other = tu_path(fx->dir, "other.store");
	struct store *s = make_store(fx->path, PASS, "a", "value-a", "b", "value-b", NULL);
	struct store *o = make_store(other, PASS, "a", "other-a", NULL);
	struct raw r, ro, old;

	/* Swap ct (and nonce) between two ids: both fail (id in the AD). */
	raw_load(fx->path, PASS, &r);
	swap_bytes(r.f.entries[0].nonce, r.f.entries[1].nonce, STORE_NONCE_BYTES);
	unsigned char *ct = r.f.entries[0].ct;
	size_t ct_len = r.f.entries[0].ct_len;
	r.f.entries[0].ct = r.f.entries[1].ct;
	r.f.entries[0].ct_len = r.f.entries[1].ct_len;
	r.f.entries[1].ct = ct;
	r.f.entries[1].ct_len = ct_len;
	char *spliced = tu_path(fx->dir, "spliced.store");
	raw_save(&r, spliced);
	assert_int_equal(tampered_gets(spliced), 2);
	raw_free(&r);

	/* Move an entry from store O into store S (same passphrase): store_id and data key differ. */
	raw_load(fx->path, PASS, &r);
	raw_load(other, PASS, &ro);
	memcpy(r.f.entries[0].nonce, ro.f.entries[0].nonce, STORE_NONCE_BYTES);
	free(r.f.entries[0].ct);
	r.f.entries[0].ct = malloc(ro.f.entries[0].ct_len);
	memcpy(r.f.entries[0].ct, ro.f.entries[0].ct, ro.f.entries[0].ct_len);
	r.f.entries[0].ct_len = ro.f.entries[0].ct_len;
	raw_save(&r, spliced);
	assert_int_equal(tampered_gets(spliced), 1);
	raw_free(&r);
	raw_free(&ro);

	/* Replay entry "a" of generation g-1 into generation g. */
	raw_load(fx->path, PASS, &old);
	put_text(s, "b", STORE_KIND_TOKEN, "value-b2");
	raw_load(fx->path, PASS, &r);
	assert_int_equal(r.f.generation, old.f.generation + 1);
	memcpy(r.f.entries[0].nonce, old.f.entries[0].nonce, STORE_NONCE_BYTES);
	free(r.f.entries[0].ct);
	r.f.entries[0].ct = old.f.entries[0].ct;
	r.f.entries[0].ct_len = old.f.entries[0].ct_len;
	old.f.entries[0].ct = NULL;
	raw_save(&r, spliced);
	assert_int_equal(tampered_gets(spliced), 1);
	raw_free(&r);
	raw_free(&old);

	/* Change a kind, or a date: the AD covers them. */
	raw_load(fx->path, PASS, &r);
	r.f.entries[0].kind = STORE_KIND_PASSWORD;
	r.f.entries[1].updated++;
	raw_save(&r, spliced);
	assert_int_equal(tampered_gets(spliced), 2);
	raw_free(&r);

	/* Drop an entry; change the unlock header: never a success (duplicate and reorder:
	 * test_splice_order and test_splice_text). */
	struct store_error err;
	struct store *t;
	raw_load(fx->path, PASS, &r);
	r.f.count = 1;
	store_crypto_mac(&r.f, r.k, r.f.mac); /* even with a valid MAC ... */
	r.f.count = 2;
	raw_write(&r.f, spliced);
	assert_int_equal(open_store(spliced, PASS, &t, &err), STORE_TAMPERED);
	r.f.count = 1; /* ... of the file without "b": the data key's AD still binds the header */
	raw_save(&r, spliced);
	r.f.count = 2;
	assert_int_equal(open_store(spliced, PASS, &t, &err), STORE_OK); /* a rollback of one entry with the MAC key */
	store_close(t);
	for (int field = 0; field < 4; field++) {
		struct raw u;

		raw_load(fx->path, PASS, &u);
		if (field == 0)
			u.f.unlock.method = STORE_METHOD_KEYFILE;
		else if (field == 1)
			u.f.unlock.opslimit++;
		else if (field == 2)
			u.f.unlock.memlimit += 1 << 20;
		else
			u.f.unlock.salt[3] ^= 1;
		raw_save(&u, spliced);
		enum store_status st = open_store(spliced, PASS, &t, &err);
		assert_true(st == STORE_WRONG_KEY || st == STORE_TAMPERED);
		raw_free(&u);
	}
	raw_free(&r);
	store_close(s);
	store_close(o);
	free(spliced);
	free(other);
}

/* Duplicate and reorder entries, even with a recomputed MAC: the parser
 * refuses ids that are not strictly increasing (before any key derivation),
 * and a copy under another id does not authenticate (the id is in its AD). */
static void test_splice_order(void **state)
{
	struct tu_fixture *fx = *state;
	char *spliced = tu_path(fx->dir, "spliced.store");
	struct store *s = make_store(fx->path, PASS, "a", "value-a", "b", "value-b", "c", "value-c", NULL);
	struct store_error err;
	struct store *t = NULL;
	struct raw r;
	struct store_entry tmp;
	char before[65], after[65];

	store_close(s);
	/* Reorder: swap the first two entries (ciphertexts move with their ids). */
	raw_load(fx->path, PASS, &r);
	tmp = r.f.entries[0];
	r.f.entries[0] = r.f.entries[1];
	r.f.entries[1] = tmp;
	raw_save(&r, spliced);
	file_digest(spliced, before);
	assert_int_equal(open_store(spliced, PASS, &t, &err), STORE_CORRUPT);
	assert_null(t);
	assert_non_null(strstr(err.message, "not strictly increasing"));
	file_digest(spliced, after);
	assert_string_equal(before, after);
	raw_free(&r);

	/* Duplicate: entry "b" twice (a deep copy of its ciphertext). */
	raw_load(fx->path, PASS, &r);
	r.f.entries[3] = r.f.entries[2];
	r.f.entries[2] = r.f.entries[1];
	r.f.entries[2].ct = malloc(r.f.entries[1].ct_len);
	memcpy(r.f.entries[2].ct, r.f.entries[1].ct, r.f.entries[1].ct_len);
	r.f.count = 4;
	raw_save(&r, spliced);
	assert_int_equal(open_store(spliced, PASS, &t, &err), STORE_CORRUPT);
	assert_null(t);
	assert_non_null(strstr(err.message, "not strictly increasing at \"b\""));
	raw_free(&r);

	/* Duplicate under a new id, sorted, MAC recomputed: it opens, but the copy
	 * does not authenticate, and the others are unchanged. */
	raw_load(fx->path, PASS, &r);
	r.f.entries[3] = r.f.entries[2];
	r.f.entries[2] = r.f.entries[1];
	strcpy(r.f.entries[2].id, "b2");
	r.f.entries[2].ct = malloc(r.f.entries[1].ct_len);
	memcpy(r.f.entries[2].ct, r.f.entries[1].ct, r.f.entries[1].ct_len);
	r.f.count = 4;
	raw_save(&r, spliced);
	assert_int_equal(tampered_gets(spliced), 1);
	assert_int_equal(open_store(spliced, PASS, &t, &err), STORE_OK);
	struct secbuf *v = NULL;
	assert_int_equal(store_get(t, "b2", &v, &err), STORE_TAMPERED);
	assert_null(v);
	check_value(t, "a", "value-a", 7);
	check_value(t, "b", "value-b", 7);
	check_value(t, "c", "value-c", 7);
	store_close(t);
	raw_free(&r);
	free(spliced);
}

/* The secrets array of a store file's text, edited as JSON: what an attacker
 * without the MAC key can do to a real store file. */
static cJSON *text_load(const char *path, cJSON **secrets)
{
	char *data = tu_read_file(path, NULL);
	cJSON *root;

	assert_non_null(data);
	root = cJSON_Parse(data);
	free(data);
	assert_non_null(root);
	*secrets = cJSON_GetObjectItemCaseSensitive(root, "secrets");
	assert_true(cJSON_IsArray(*secrets));
	return root;
}

static void text_save(cJSON *root, const char *path)
{
	char *json = cJSON_Print(root);

	assert_non_null(json);
	assert_int_equal(tu_write_file(path, json, strlen(json), 0600), 0);
	free(json);
	cJSON_Delete(root);
}

static cJSON *text_entry(cJSON *secrets, const char *id)
{
	cJSON *e;

	cJSON_ArrayForEach(e, secrets) {
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0)
			return e;
	}
	fail_msg("no entry %s", id);
	return NULL;
}

/* Set e's string key to the value of the same key in from. */
static void text_copy(cJSON *e, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);

	assert_true(cJSON_IsString(v));
	assert_true(cJSON_ReplaceItemInObjectCaseSensitive(e, key, cJSON_CreateString(v->valuestring)));
}

/* A new array of copies of the given entries, in that order, as root's "secrets". */
static cJSON *text_rebuild(cJSON *root, cJSON *const *items, int n)
{
	cJSON *arr = cJSON_CreateArray();

	assert_non_null(arr);
	for (int i = 0; i < n; i++)
		assert_true(cJSON_AddItemToArray(arr, cJSON_Duplicate(items[i], 1)));
	assert_true(cJSON_ReplaceItemInObjectCaseSensitive(root, "secrets", arr));
	return arr;
}

/* The ids of the secrets array, comma-separated (to show the splice happened). */
static void text_ids(const cJSON *secrets, char *out, size_t cap)
{
	const cJSON *e;

	out[0] = '\0';
	cJSON_ArrayForEach(e, secrets) {
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(e, "id");
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s%s", n ? "," : "", cJSON_IsString(i) ? i->valuestring : "?");
	}
}

enum splice_op { SPLICE_DUP, SPLICE_DUP_RENAMED, SPLICE_SWAP, SPLICE_ROTATE, SPLICE_ROTATE_CT, SPLICE_DROP,
                 SPLICE_MOVE_IN, SPLICE_MOVE_OVER, SPLICE_OPS };

/*
 * Splices of a real store file's text without the MAC key (§6.4): duplicate,
 * reorder, drop entries, rotate ciphertexts, move an entry in from store B
 * (same passphrase). Each one: opening refuses it (corrupt when the ids are
 * no longer strictly increasing, else tampered), reading writes nothing, and
 * a write through a handle opened before the splice refuses it too, leaving
 * the file byte for byte as it was and no temp file.
 */
static void test_splice_text(void **state)
{
	static const char *const names[SPLICE_OPS] = {
		"duplicate an entry", "duplicate an entry under another id", "swap two entries",
		"rotate the entries", "rotate the ciphertexts, ids in place", "drop an entry",
		"move an entry in from store B", "move store B's entry over the same id",
	};
	static const char *const ids_after[SPLICE_OPS] = {
		"a,b,b,c", "a,b,b2,c", "b,a,c", "b,c,a", "a,b,c", "a,c", "a,b,bb,c", "a,b,c",
	};
	struct tu_fixture *fx = *state;
	char *other = tu_path(fx->dir, "other.store");
	struct store *h = make_store(fx->path, PASS, "a", "value-a", "b", "value-b", "c", "value-c", NULL);
	struct store *o = make_store(other, PASS, "a", "other-a", "bb", "other-bb", NULL);
	size_t orig_len;
	char *orig = tu_read_file(fx->path, &orig_len);
	int refused = 0;

	store_close(o);
	assert_non_null(orig);
	for (int op = 0; op < SPLICE_OPS; op++) {
		cJSON *secrets, *osecrets;
		cJSON *root = text_load(fx->path, &secrets);
		cJSON *oroot = text_load(other, &osecrets);
		cJSON *a = text_entry(secrets, "a"), *b = text_entry(secrets, "b"), *c = text_entry(secrets, "c");
		cJSON *e;
		enum store_status want = STORE_TAMPERED;
		const char *why = "MAC does not match";
		char ids[64];

		switch (op) {
		case SPLICE_DUP:
			secrets = text_rebuild(root, (cJSON *[]){ a, b, b, c }, 4);
			want = STORE_CORRUPT;
			why = "not strictly increasing at \"b\"";
			break;
		case SPLICE_DUP_RENAMED:
			secrets = text_rebuild(root, (cJSON *[]){ a, b, b, c }, 4);
			e = cJSON_GetArrayItem(secrets, 2);
			assert_true(cJSON_ReplaceItemInObjectCaseSensitive(e, "id", cJSON_CreateString("b2")));
			break;
		case SPLICE_SWAP:
			secrets = text_rebuild(root, (cJSON *[]){ b, a, c }, 3);
			want = STORE_CORRUPT;
			why = "not strictly increasing at \"a\"";
			break;
		case SPLICE_ROTATE:
			secrets = text_rebuild(root, (cJSON *[]){ b, c, a }, 3);
			want = STORE_CORRUPT;
			why = "not strictly increasing at \"a\"";
			break;
		case SPLICE_ROTATE_CT: {
			cJSON *copy = cJSON_Duplicate(secrets, 1);
			for (int i = 0; i < 3; i++) {
				text_copy(cJSON_GetArrayItem(secrets, i), cJSON_GetArrayItem(copy, (i + 1) % 3), "nonce");
				text_copy(cJSON_GetArrayItem(secrets, i), cJSON_GetArrayItem(copy, (i + 1) % 3), "ct");
			}
			cJSON_Delete(copy);
			break;
		}
		case SPLICE_DROP:
			secrets = text_rebuild(root, (cJSON *[]){ a, c }, 2);
			break;
		case SPLICE_MOVE_IN:
			secrets = text_rebuild(root, (cJSON *[]){ a, b, text_entry(osecrets, "bb"), c }, 4);
			break;
		case SPLICE_MOVE_OVER:
			text_copy(a, text_entry(osecrets, "a"), "nonce");
			text_copy(a, text_entry(osecrets, "a"), "ct");
			break;
		}
		text_ids(secrets, ids, sizeof(ids));
		assert_string_equal(ids, ids_after[op]);
		cJSON_Delete(oroot);
		text_save(root, fx->path);

		struct store_error err;
		struct store *t = NULL;
		char before[65], after[65];
		struct secbuf *v = tu_sb("new");
		enum store_status st;

		file_digest(fx->path, before);
		st = open_store(fx->path, PASS, &t, &err);
		if (st != want || !strstr(err.message, why))
			fail_msg("%s: status %d (%s), expected %d with \"%s\"", names[op], (int)st,
			         st == STORE_OK ? "opened" : err.message, (int)want, why);
		assert_null(t);
		file_digest(fx->path, after);
		assert_string_equal(before, after); /* reading never writes */
		st = store_put(h, "z", STORE_KIND_TOKEN, v, &err);
		if (st != want)
			fail_msg("%s: a write over it gave status %d (%s)", names[op], (int)st, err.message);
		file_digest(fx->path, after);
		assert_string_equal(before, after); /* nor does a refused write */
		assert_int_equal(tu_count_temps(fx->dir), 0);
		secbuf_free(v);
		refused++;
		print_message("# %s: refused as %s\n", names[op], want == STORE_CORRUPT ? "corrupt" : "tampered");
		/* Back to the original: it opens and holds its values (the splice made the difference). */
		assert_int_equal(tu_write_file(fx->path, orig, orig_len, 0600), 0);
		assert_int_equal(open_store(fx->path, PASS, &t, &err), STORE_OK);
		check_value(t, "a", "value-a", 7);
		check_value(t, "b", "value-b", 7);
		check_value(t, "c", "value-c", 7);
		assert_int_equal(store_count(t), 3);
		store_close(t);
	}
	assert_int_equal(refused, SPLICE_OPS);
	store_close(h);
	free(orig);
	free(other);
}

/* ---- limits: generation, dates, file size ---- */

/* The generation counter stops at 2^53 - 1 (the largest number the format holds): the
 * write that reaches it works, the next is refused and writes nothing. */
static void test_generation_exhausted(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	struct secbuf *v = tu_sb("2"), *np = tu_sb("another passphrase");
	char before[65], after[65];
	struct raw r;

	store_close(s);
	raw_load(fx->path, PASS, &r);
	struct secbuf **values = raw_values(&r);
	r.f.generation = STORE_NUMBER_MAX - 1;
	raw_reseal(&r, values, fx->path);
	raw_free(&r);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_OK);
	assert_int_equal(store_generation(s), STORE_NUMBER_MAX);
	file_digest(fx->path, before);
	assert_int_equal(store_put(s, "c", STORE_KIND_TOKEN, v, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "generation counter is exhausted"));
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, np, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "exhausted"));
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	assert_int_equal(tu_count_temps(fx->dir), 0);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_int_equal(store_count(s), 2);
	check_value(s, "b", "2", 1);
	store_close(s);
	secbuf_free(v);
	secbuf_free(np);
}

/* A secret created "in the future" (the clock went back since): updated now, its updated
 * date is its created date, never before it (a reader refuses that as corrupt). */
static void test_clock_went_back(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	uint64_t future = (uint64_t)time(NULL) + 10 * 366 * 86400;
	struct store_info info;
	struct raw r;

	store_close(s);
	raw_load(fx->path, PASS, &r);
	struct secbuf **values = raw_values(&r);
	r.f.entries[0].created = r.f.entries[0].updated = future;
	raw_reseal(&r, values, fx->path);
	raw_free(&r);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	put_text(s, "a", STORE_KIND_TOKEN, "changed");
	assert_true(store_info(s, 0, &info));
	assert_int_equal(info.created, (int64_t)future);
	assert_int_equal(info.updated, (int64_t)future);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_true(store_find(s, "a", &info));
	assert_int_equal(info.updated, info.created);
	check_value(s, "a", "changed", 7);
	store_close(s);
}

/* A store never grows past its 1 MiB limit (a reader refuses a larger file): the put that
 * would take it there is refused with the reason, and the file stays as it was. */
static void test_file_max(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, NULL);
	struct secbuf *v = secbuf_new(STORE_VALUE_MAX);
	char id[16], before[65], after[65];
	enum store_status st = STORE_OK;
	int n = 0;
	struct stat sb;

	randombytes_buf(v->data, STORE_VALUE_MAX);
	v->len = STORE_VALUE_MAX;
	/* 64 KiB values: about 87 KiB each in the file, so well under 64 of them. */
	while (st == STORE_OK && n < 20) {
		file_digest(fx->path, before);
		snprintf(id, sizeof(id), "key-%02d", n);
		if ((st = store_put(s, id, STORE_KIND_SSH_PRIVATE_KEY, v, &err)) == STORE_OK)
			n++;
	}
	assert_int_equal(st, STORE_INVALID);
	assert_non_null(strstr(err.message, "would grow beyond 1048576 bytes; remove secrets you no longer need"));
	assert_true(n >= 10);
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	assert_int_equal(tu_count_temps(fx->dir), 0);
	assert_int_equal(stat(fx->path, &sb), 0);
	assert_true(sb.st_size <= STORE_FILE_MAX);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_int_equal(store_count(s), (size_t)n);
	check_value(s, "key-00", v->data, v->len);
	store_close(s);
	secbuf_free(v);
}

/* ---- wrong passphrases (§6.5) ---- */

/* n random wrong passphrases on one handle: how many were reported as such. */
static int wrong_round(const char *path, const struct store_params *params, int n)
{
	struct store_error err;
	struct store *s;
	int wrong = 0;

	assert_int_equal(store_load_params(path, params, &s, &err), STORE_OK);
	for (int i = 0; i < n; i++) {
		unsigned char raw[24];
		char pass[64];

		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(pass, sizeof(pass), raw, 1 + raw[0] % 23, sodium_base64_VARIANT_ORIGINAL);
		struct secbuf *key = tu_sb(pass);
		enum store_status st = store_unlock(s, key, &err);
		secbuf_free(key);
		if (st == STORE_WRONG_KEY && strcmp(err.message, "wrong passphrase for the secret store") == 0)
			wrong++;
		else
			fail_msg("wrong passphrase %d gave status %d: %s", i, (int)st, err.message);
	}
	/* The right one still works on the same handle after the failures. */
	struct secbuf *key = tu_sb(PASS);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	secbuf_free(key);
	check_value(s, "a", "1", 1);
	store_close(s);
	return wrong;
}

static void test_wrong_passphrases(void **state)
{
	struct tu_fixture *fx = *state;
	struct store *s;
	struct stat before, after;
	char hb[65], ha[65];
	char *light = tu_path(fx->dir, "light.store");
	struct store_error err;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("1");

	s = make_store(fx->path, PASS, "a", "1", NULL);
	store_close(s);
	assert_int_equal(store_create_params(light, tu_params_light(), STORE_METHOD_PASSPHRASE, key, &s, &err),
	                 STORE_OK);
	assert_int_equal(store_put(s, "a", STORE_KIND_TOKEN, v, &err), STORE_OK);
	store_close(s);
	assert_int_equal(stat(fx->path, &before), 0);
	file_digest(fx->path, hb);
	char light_digest[65];
	file_digest(light, light_digest);
	/* 1000 through the light Argon2id, 20 at the real test floor (ops 1 / 8 MiB). */
	int light_wrong = wrong_round(light, tu_params_light(), 1000);
	int real_wrong = wrong_round(fx->path, store_params_test(), 20);
	print_message("# wrong passphrases reported as wrong passphrase: %d/1000 (light KDF), %d/20 (ops 1 / 8 MiB)\n",
	              light_wrong, real_wrong);
	assert_int_equal(light_wrong, 1000);
	assert_int_equal(real_wrong, 20);
	assert_int_equal(stat(fx->path, &after), 0);
	file_digest(fx->path, ha);
	assert_string_equal(hb, ha);
	file_digest(light, ha);
	assert_string_equal(light_digest, ha);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	secbuf_free(key);
	secbuf_free(v);
	free(light);
}

/* ---- rekey (§6.14) ---- */

static void test_rekey(void **state)
{
	struct tu_fixture *fx = *state;
	char *copy = tu_path(fx->dir, "old-copy.store");
	struct store_params upgraded = *P();
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *newpass = tu_sb("new passphrase");
	struct raw old, cur;
	size_t len;
	char *data;

	s = make_store(fx->path, PASS, "a", "secret-a", "b", "secret-b", NULL);
	store_close(s);
	data = tu_read_file(fx->path, &len);
	assert_int_equal(tu_write_file(copy, data, len, 0600), 0);
	free(data);
	/* Rekey with newer defaults: the parameters are upgraded on the way. */
	upgraded.ops_default = 2;
	upgraded.mem_default = 16 << 20;
	assert_int_equal(store_load_params(fx->path, &upgraded, &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, key, &err), STORE_OK);
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, key, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "same as the current"));
	struct secbuf *empty = secbuf_dup("", 0);
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, empty, &err), STORE_INVALID);
	secbuf_free(empty);
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, newpass, &err), STORE_OK);
	check_value(s, "a", "secret-a", 8);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_WRONG_KEY);
	assert_int_equal(open_store(fx->path, "new passphrase", &s, &err), STORE_OK);
	check_value(s, "b", "secret-b", 8);
	store_close(s);
	raw_load(fx->path, "new passphrase", &cur);
	assert_int_equal(cur.f.unlock.opslimit, 2);
	assert_int_equal(cur.f.unlock.memlimit, 16 << 20);
	/* The old file and the old passphrase give the old data key: it opens nothing new. */
	raw_load(copy, PASS, &old);
	assert_true(memcmp(old.k->dek, cur.k->dek, STORE_KEY_BYTES) != 0);
	for (size_t i = 0; i < cur.f.count; i++) {
		struct secbuf *v = NULL;
		assert_int_equal(store_crypto_decrypt(&cur.f, i, old.k, &v, &err), STORE_TAMPERED);
	}
	raw_free(&old);
	raw_free(&cur);
	/* passphrase -> key file -> credential -> passphrase; each opens with exactly its key. */
	struct secbuf *k1 = secbuf_new(32), *k2 = secbuf_new(40);
	randombytes_buf(k1->data, 32);
	k1->len = 32;
	randombytes_buf(k2->data, 40);
	k2->len = 40;
	assert_int_equal(open_store(fx->path, "new passphrase", &s, &err), STORE_OK);
	struct secbuf *short_key = tu_sb("short");
	assert_int_equal(store_rekey(s, STORE_METHOD_KEYFILE, short_key, &err), STORE_INVALID);
	secbuf_free(short_key);
	assert_int_equal(store_rekey(s, STORE_METHOD_KEYFILE, k1, &err), STORE_OK);
	assert_int_equal(store_method(s), STORE_METHOD_KEYFILE);
	assert_int_equal(store_rekey(s, STORE_METHOD_CREDENTIAL, k2, &err), STORE_OK);
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, key, &err), STORE_OK);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	check_value(s, "a", "secret-a", 8);
	store_close(s);
	secbuf_free(k1);
	secbuf_free(k2);
	secbuf_free(key);
	secbuf_free(newpass);
	free(copy);
}

/* Key material over 1024 bytes is refused when a store is made or rekeyed with it: unlock
 * refuses it, so that store could never be opened again. 1024 bytes are fine both ways. */
static void test_key_material_max(void **state)
{
	struct tu_fixture *fx = *state;
	char pass[STORE_KEY_MATERIAL_MAX + 2], before[65], after[65];
	struct store_error err;
	struct store *s = NULL;
	struct secbuf *over, *max, *keyfile;

	memset(pass, 'p', sizeof(pass) - 1);
	pass[sizeof(pass) - 1] = '\0';
	over = tu_sb(pass);
	assert_int_equal(over->len, 1025);
	assert_int_equal(store_create_params(fx->path, P(), STORE_METHOD_PASSPHRASE, over, &s, &err), STORE_INVALID);
	assert_null(s);
	assert_non_null(strstr(err.message, "the passphrase is longer than 1024 bytes"));
	keyfile = secbuf_dup(pass, 1025);
	assert_int_equal(store_create_params(fx->path, P(), STORE_METHOD_KEYFILE, keyfile, &s, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "the key file is longer than 1024 bytes"));
	assert_int_equal(access(fx->path, F_OK), -1);
	/* 1024 bytes: made, and it opens with them. */
	pass[1024] = '\0';
	max = tu_sb(pass);
	assert_int_equal(store_create_params(fx->path, P(), STORE_METHOD_PASSPHRASE, max, &s, &err), STORE_OK);
	put_text(s, "a", STORE_KIND_TOKEN, "1");
	store_close(s);
	assert_int_equal(open_store(fx->path, pass, &s, &err), STORE_OK);
	/* A rekey to 1025 bytes: refused, the file as it was, still opened by the old key. */
	file_digest(fx->path, before);
	assert_int_equal(store_rekey(s, STORE_METHOD_PASSPHRASE, over, &err), STORE_INVALID);
	assert_non_null(strstr(err.message, "longer than 1024 bytes"));
	assert_int_equal(store_rekey(s, STORE_METHOD_KEYFILE, keyfile, &err), STORE_INVALID);
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	store_close(s);
	assert_int_equal(open_store(fx->path, pass, &s, &err), STORE_OK);
	check_value(s, "a", "1", 1);
	/* ... and a rekey to 1024 bytes of a key file works (and opens). */
	assert_int_equal(store_rekey(s, STORE_METHOD_KEYFILE, max, &err), STORE_OK);
	store_close(s);
	assert_int_equal(store_load_params(fx->path, P(), &s, &err), STORE_OK);
	assert_int_equal(store_unlock(s, max, &err), STORE_OK);
	check_value(s, "a", "1", 1);
	store_close(s);
	secbuf_free(over);
	secbuf_free(max);
	secbuf_free(keyfile);
}

/* Two handles: a write by one is seen by the other's next change (re-read
 * under the lock, no lost update); a rekey by one locks the other out. */
static void test_concurrent_handles(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *a = make_store(fx->path, PASS, "x", "1", NULL);
	struct store *b;
	struct secbuf *np = tu_sb("rotated");

	assert_int_equal(open_store(fx->path, PASS, &b, &err), STORE_OK);
	put_text(a, "from-a", STORE_KIND_TOKEN, "a");
	put_text(b, "from-b", STORE_KIND_TOKEN, "b");
	check_value(b, "from-a", "a", 1);
	assert_int_equal(store_generation(b), 3);
	/* What b added shows in a's transaction, not in a's listing from before it. */
	struct store_info info;
	assert_false(store_txn_has(a, "x")); /* no transaction */
	assert_int_equal(store_begin(a, &err), STORE_OK);
	assert_false(store_find(a, "from-b", &info));
	assert_true(store_txn_has(a, "from-b"));
	assert_true(store_txn_has(a, "x"));
	assert_false(store_txn_has(a, "nothing"));
	store_abort(a);
	assert_int_equal(store_rekey(b, STORE_METHOD_PASSPHRASE, np, &err), STORE_OK);
	struct secbuf *v = tu_sb("late");
	char before[65], after[65];
	file_digest(fx->path, before);
	/* Rekeyed by another run since a opened it: a change by another run (busy), not a wrong key. */
	assert_int_equal(store_put(a, "late", STORE_KIND_TOKEN, v, &err), STORE_BUSY);
	assert_non_null(strstr(err.message, "changed the key of the secret store"));
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	secbuf_free(v);
	secbuf_free(np);
	store_close(a);
	store_close(b);
}

/* Two first runs at once: the second's new store takes the one the first wrote, when its key opens it. */
static void test_made_meanwhile(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *late, *other;
	struct secbuf *key = tu_sb(PASS), *wrong = tu_sb("another passphrase");

	assert_int_equal(store_create_params(fx->path, P(), STORE_METHOD_PASSPHRASE, key, &late, &err), STORE_OK);
	assert_int_equal(store_create_params(fx->path, P(), STORE_METHOD_PASSPHRASE, wrong, &other, &err), STORE_OK);
	struct store *first = make_store(fx->path, PASS, "first", "1", NULL);
	put_text(late, "second", STORE_KIND_TOKEN, "2");
	store_close(first);
	assert_int_equal(open_store(fx->path, PASS, &first, &err), STORE_OK);
	check_value(first, "first", "1", 1);
	check_value(first, "second", "2", 1);
	/* Made with another passphrase: not the same store, said, and nothing written. */
	struct secbuf *v = tu_sb("3");
	assert_int_equal(store_put(other, "third", STORE_KIND_TOKEN, v, &err), STORE_BUSY);
	assert_non_null(strstr(err.message, "meanwhile, with another passphrase"));
	secbuf_free(v);
	secbuf_free(key);
	secbuf_free(wrong);
	store_close(first);
	store_close(late);
	store_close(other);
}

/* ---- fail closed on writes; stale temp files; the lock deadline ---- */

static void test_refuse_unverified_write(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	size_t len;
	char *data = tu_read_file(fx->path, &len);
	char before[65], after[65];
	struct secbuf *v = tu_sb("2");

	/* Tamper with the file behind the open handle: the next write refuses it. */
	char *mac = strstr(data, "\"mac\": \"");
	mac[9] = mac[9] == 'A' ? 'B' : 'A';
	assert_int_equal(tu_write_file(fx->path, data, len, 0600), 0);
	file_digest(fx->path, before);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_TAMPERED);
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	/* A file that does not parse is not overwritten either. */
	assert_int_equal(tu_write_file(fx->path, "{", 1, 0600), 0);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_CORRUPT);
	free(data);
	data = tu_read_file(fx->path, &len);
	assert_int_equal(len, 1);
	/* Nor is a missing one recreated behind our back. */
	unlink(fx->path);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_NO_STORE);
	assert_int_equal(access(fx->path, F_OK), -1);
	free(data);
	store_close(s);
	/* Nor an older copy put back (a lower generation): never built on. */
	s = make_store(fx->path, PASS, "a", "1", NULL);
	data = tu_read_file(fx->path, &len);
	put_text(s, "b", STORE_KIND_TOKEN, "2");
	assert_int_equal(tu_write_file(fx->path, data, len, 0600), 0);
	file_digest(fx->path, before);
	assert_int_equal(store_put(s, "c", STORE_KIND_TOKEN, v, &err), STORE_TAMPERED);
	assert_non_null(strstr(err.message, "replaced by an older copy"));
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	free(data);
	secbuf_free(v);
	store_close(s);
}

static void test_stale_temps(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	char *t1 = tu_path(fx->dir, ".secrets.store.tmp.0123456789abcdef");
	char *t2 = tu_path(fx->dir, ".secrets.store.tmp.fedcba9876543210");

	assert_int_equal(tu_write_file(t1, "x", 1, 0600), 0);
	assert_int_equal(tu_write_file(t2, "y", 1, 0600), 0);
	store_close(s);
	assert_int_equal(open_store(fx->path, PASS, &s, &err), STORE_OK);
	assert_int_equal(tu_count_temps(fx->dir), 2); /* reading never writes */
	put_text(s, "b", STORE_KIND_TOKEN, "2");
	assert_int_equal(tu_count_temps(fx->dir), 0); /* cleaned under the lock */
	store_close(s);
	free(t1);
	free(t2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void test_busy(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s = make_store(fx->path, PASS, "a", "1", NULL);
	char *lock = tu_path(fx->dir, "secrets.store.lock");
	struct stat st;
	int fd = open(lock, O_RDWR);
	char before[65], after[65];
	struct secbuf *v = tu_sb("2");

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	file_digest(fx->path, before);
	/* The caller's SIGALRM handler: the wait borrows the signal, then gives it back. */
	struct sigaction mine = { .sa_handler = on_alarm }, cur;
	sigemptyset(&mine.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &mine, NULL), 0);
	double t0 = now_s();
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_BUSY);
	/* A figure, not a check: the time depends on the machine's load. */
	print_message("# busy after %.2f s\n", now_s() - t0);
	assert_non_null(strstr(err.message, "busy"));
	file_digest(fx->path, after);
	assert_string_equal(before, after);
	assert_int_equal(sigaction(SIGALRM, NULL, &cur), 0);
	assert_ptr_equal(cur.sa_handler, on_alarm);
	/* A lock let go while the writer waits: it gets it, it did not give up at once. */
	pid_t holder = fork();
	if (holder == 0) {
		struct timespec hold = { 0, 200 * 1000 * 1000 };
		nanosleep(&hold, NULL);
		_exit(0);
	}
	close(fd);
	assert_int_equal(store_put(s, "b", STORE_KIND_TOKEN, v, &err), STORE_OK);
	assert_int_equal(waitpid(holder, NULL, 0), holder);
	assert_int_equal(sigaction(SIGALRM, NULL, &cur), 0);
	assert_ptr_equal(cur.sa_handler, on_alarm);
	assert_int_equal(alarms, 0);
	signal(SIGALRM, SIG_DFL);
	secbuf_free(v);
	store_close(s);
	free(lock);
}

/* ---- small-memory host (§6.16) ---- */

#ifndef TU_ASAN
static int child_open(const char *path, const char *pass)
{
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(pass);
	enum store_status st = store_load(path, &s, &err);

	if (st == STORE_OK) {
		st = store_unlock(s, key, &err);
		store_close(s);
	}
	secbuf_free(key);
	return (int)st;
}

static void test_small_memory(void **state)
{
	struct tu_fixture *fx = *state;
	struct store_error err;
	struct store *s;
	struct secbuf *key = tu_sb(PASS), *v = tu_sb("1");
	char *big = tu_path(fx->dir, "big.store");
	struct raw r;

	/* The production defaults (MODERATE, 256 MiB) through the public API. */
	assert_int_equal(store_create(fx->path, STORE_METHOD_PASSPHRASE, key, &s, &err), STORE_OK);
	assert_int_equal(store_put(s, "a", STORE_KIND_TOKEN, v, &err), STORE_OK);
	store_close(s);
	memset(&r, 0, sizeof(r));
	size_t flen;
	char *data = tu_read_file(fx->path, &flen);
	assert_int_equal(store_format_parse(data, flen, &store_params_production()->bounds, &r.f, &err), STORE_OK);
	free(data);
	if (r.f.unlock.memlimit != 256u << 20) {
		/* This host has little memory: then the store must have chosen the interactive limits. */
		assert_int_equal(r.f.unlock.memlimit, 64u << 20);
		store_format_clear(&r.f);
		secbuf_free(key);
		secbuf_free(v);
		free(big);
		return;
	}
	/* The same store demanding 1 GiB (the maximum a reader accepts). */
	r.f.unlock.memlimit = 1u << 30;
	raw_write(&r.f, big);
	store_format_clear(&r.f);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit lim = { 512u << 20, 512u << 20 };
		int a, b;

		setrlimit(RLIMIT_AS, &lim);
		a = child_open(fx->path, PASS);
		b = child_open(big, PASS);
		_exit(a == STORE_OK && b == STORE_KDF_RESOURCES ? 0 : 10 + a * 16 + b);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(store_exit_code(STORE_KDF_RESOURCES), AZ_EXIT_STORE_KDF_RESOURCES);
	secbuf_free(key);
	secbuf_free(v);
	free(big);
}
#endif

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(store_exit_code(STORE_OK), 0);
	assert_int_equal(store_exit_code(STORE_WRONG_KEY), 10);
	assert_int_equal(store_exit_code(STORE_CORRUPT), 11);
	assert_int_equal(store_exit_code(STORE_TAMPERED), 12);
	assert_int_equal(store_exit_code(STORE_UNSUPPORTED), 13);
	assert_int_equal(store_exit_code(STORE_PERMISSIONS), 14);
	assert_int_equal(store_exit_code(STORE_BUSY), 15);
	assert_int_equal(store_exit_code(STORE_IO), 16);
	assert_int_equal(store_exit_code(STORE_NOT_FOUND), 17);
	assert_int_equal(store_exit_code(STORE_KDF_RESOURCES), 18);
	assert_int_equal(store_exit_code(STORE_INVALID), AZ_EXIT_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kat),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test_setup_teardown(test_roundtrip, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_edge_values, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_update_delete, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_transaction, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_splice, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_splice_order, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_splice_text, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_generation_exhausted, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_clock_went_back, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_file_max, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_passphrases, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rekey, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_key_material_max, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_handles, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_made_meanwhile, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_refuse_unverified_write, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_stale_temps, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_busy, tu_setup, tu_teardown),
#ifndef TU_ASAN /* ASan reserves terabytes of address space: RLIMIT_AS cannot be tested under it */
		cmocka_unit_test_setup_teardown(test_small_memory, tu_setup, tu_teardown),
#endif
	};

	if (sodium_init() < 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store_api", tests, NULL, NULL);
}
