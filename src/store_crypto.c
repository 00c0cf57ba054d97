/*
 * Keys, associated data and MAC of the store (store-design.md §5.2).
 * The header bytes are built from the parsed, validated fields, never from
 * the JSON text, so spelling changes in the file are harmless and every
 * change in meaning changes what the AEAD calls and the MAC cover.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store_crypto.h"
#include "store_error.h"

#define STORE_MAGIC "azrcstor"             /* 8 bytes, first in every header */
#define STORE_KDF_CTX_KEK "azrcKEK_"       /* crypto_kdf contexts: exactly 8 bytes */
#define STORE_KDF_CTX_DEK "azrcDEK_"
#define STORE_MAC_DOMAIN "azrepos-connect-store-mac-v1"
#define STORE_KEYFILE_DOMAIN "azrepos-connect-keyfile-v1"
#define STORE_HDR_MAX 128
#define STORE_AD_MAX (STORE_HDR_MAX + 4 + STORE_ID_MAX + 4 + 32 + 16)

/* A small byte string built field by field (big-endian, u32 length prefixes). */
struct store_bytes {
	unsigned char b[STORE_AD_MAX];
	size_t n;
};

static void bytes_put(struct store_bytes *o, const void *p, size_t n)
{
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void bytes_u64(struct store_bytes *o, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		o->b[o->n++] = (unsigned char)(v >> (8 * i));
}

static void bytes_u32(struct store_bytes *o, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		o->b[o->n++] = (unsigned char)(v >> (8 * i));
}

static void bytes_lp(struct store_bytes *o, const void *p, size_t n)
{
	bytes_u32(o, (uint32_t)n);
	bytes_put(o, p, n);
}

static void bytes_str(struct store_bytes *o, const char *s)
{
	bytes_lp(o, s, strlen(s));
}

/* HDR = magic || u8 version || store_id || u64 generation || lp(method)
 *       || u8 kdf || u64 opslimit || u64 memlimit || lp(salt)   (salt empty without KDF) */
static void store_crypto_hdr(const struct store_file *f, struct store_bytes *o)
{
	const struct store_unlock_hdr *u = &f->unlock;
	bool kdf = u->method == STORE_METHOD_PASSPHRASE;

	o->n = 0;
	bytes_put(o, STORE_MAGIC, 8);
	o->b[o->n++] = STORE_FORMAT_VERSION;
	bytes_put(o, f->store_id, STORE_ID_BYTES);
	bytes_u64(o, f->generation);
	bytes_str(o, store_method_name(u->method));
	o->b[o->n++] = kdf ? u->kdf_alg : 0;
	bytes_u64(o, kdf ? u->opslimit : 0);
	bytes_u64(o, kdf ? u->memlimit : 0);
	bytes_lp(o, u->salt, kdf ? STORE_SALT_BYTES : 0);
}

size_t store_crypto_header(const struct store_file *f, unsigned char *out, size_t cap)
{
	struct store_bytes o;

	store_crypto_hdr(f, &o);
	memcpy(out, o.b, o.n < cap ? o.n : cap);
	return o.n;
}

/* What an entry's AEAD call covers and the MAC repeats:
 * lp(id) || lp(kind) || u64 created || u64 updated. */
static void store_crypto_entry_fields(const struct store_entry *e, struct store_bytes *o)
{
	bytes_str(o, e->id);
	bytes_str(o, store_kind_name(e->kind));
	bytes_u64(o, e->created);
	bytes_u64(o, e->updated);
}

static void store_crypto_ad(const struct store_file *f, const struct store_entry *e, struct store_bytes *o)
{
	store_crypto_hdr(f, o);
	store_crypto_entry_fields(e, o);
}

int store_crypto_argon2id(unsigned char master[STORE_KEY_BYTES], const unsigned char *pass, size_t len,
                          const unsigned char salt[STORE_SALT_BYTES], uint64_t opslimit, uint64_t memlimit)
{
	return crypto_pwhash(master, STORE_KEY_BYTES, (const char *)pass, len, salt, opslimit,
	                     (size_t)memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

bool store_crypto_mem_available(uint64_t *bytes)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	const char *p;

	if (fd < 0)
		return false;
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nMemAvailable:");
	if (!p)
		return false;
	*bytes = strtoull(p + 14, NULL, 10) * 1024;
	return true;
}

struct store_keys *store_keys_new(void)
{
	struct store_keys *k = sodium_malloc(sizeof(*k));

	if (k)
		sodium_memzero(k, sizeof(*k));
	return k;
}

void store_keys_free(struct store_keys *k)
{
	sodium_free(k); /* wipes */
}

enum store_status store_crypto_master(const struct store_file *f, const unsigned char *material,
                                      size_t len, store_kdf_fn kdf, struct store_keys *k,
                                      struct store_error *err)
{
	const struct store_unlock_hdr *u = &f->unlock;

	if (u->method == STORE_METHOD_PASSPHRASE) {
		uint64_t avail;

		if (store_crypto_mem_available(&avail) && u->memlimit > avail)
			return store_fail(err, STORE_KDF_RESOURCES,
			                  "unlocking the store needs %llu MiB of memory; %llu MiB are available",
			                  (unsigned long long)(u->memlimit >> 20), (unsigned long long)(avail >> 20));
		if (kdf(k->master, material, len, u->salt, u->opslimit, u->memlimit) != 0)
			return store_fail(err, STORE_KDF_RESOURCES,
			                  "not enough memory for the key derivation (%llu MiB): free memory or "
			                  "raise the process's memory limit", (unsigned long long)(u->memlimit >> 20));
	} else {
		/* Any key file length: hash to a 32-byte key, then bind it to this store. */
		unsigned char fk[STORE_KEY_BYTES];
		crypto_generichash_state st;

		crypto_generichash(fk, sizeof(fk), material, len, NULL, 0);
		crypto_generichash_init(&st, fk, sizeof(fk), STORE_KEY_BYTES);
		crypto_generichash_update(&st, (const unsigned char *)STORE_KEYFILE_DOMAIN,
		                          sizeof(STORE_KEYFILE_DOMAIN) - 1);
		crypto_generichash_update(&st, f->store_id, STORE_ID_BYTES);
		crypto_generichash_final(&st, k->master, STORE_KEY_BYTES);
		sodium_memzero(fk, sizeof(fk));
		sodium_memzero(&st, sizeof(st));
	}
	crypto_kdf_derive_from_key(k->kek, STORE_KEY_BYTES, 1, STORE_KDF_CTX_KEK, k->master);
	crypto_kdf_derive_from_key(k->check, STORE_CHECK_BYTES, 2, STORE_KDF_CTX_KEK, k->master);
	return STORE_OK;
}

bool store_crypto_check_ok(const struct store_file *f, const struct store_keys *k)
{
	return sodium_memcmp(f->key_check, k->check, STORE_CHECK_BYTES) == 0;
}

static void store_crypto_dek_keys(struct store_keys *k)
{
	crypto_kdf_derive_from_key(k->enc, STORE_KEY_BYTES, 1, STORE_KDF_CTX_DEK, k->dek);
	crypto_kdf_derive_from_key(k->mac, STORE_KEY_BYTES, 2, STORE_KDF_CTX_DEK, k->dek);
}

void store_crypto_new_dek(struct store_keys *k)
{
	randombytes_buf(k->dek, STORE_KEY_BYTES);
	store_crypto_dek_keys(k);
}

/* MAC = BLAKE2b-256(mac_key, domain || HDR || lp(key_check) || lp(dek nonce || ct)
 *       || u32 count || per entry: entry fields || nonce || lp(ct)) */
void store_crypto_mac(const struct store_file *f, const struct store_keys *k,
                      unsigned char out[STORE_MAC_BYTES])
{
	crypto_generichash_state st;
	struct store_bytes o;

	crypto_generichash_init(&st, k->mac, STORE_KEY_BYTES, STORE_MAC_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)STORE_MAC_DOMAIN, sizeof(STORE_MAC_DOMAIN) - 1);
	store_crypto_hdr(f, &o);
	crypto_generichash_update(&st, o.b, o.n);
	o.n = 0;
	bytes_lp(&o, f->key_check, STORE_CHECK_BYTES);
	bytes_u32(&o, STORE_NONCE_BYTES + STORE_WRAPPED_BYTES);
	bytes_put(&o, f->dek_nonce, STORE_NONCE_BYTES);
	bytes_put(&o, f->dek_ct, STORE_WRAPPED_BYTES);
	bytes_u32(&o, (uint32_t)f->count);
	crypto_generichash_update(&st, o.b, o.n);
	for (size_t i = 0; i < f->count; i++) {
		const struct store_entry *e = &f->entries[i];

		o.n = 0;
		store_crypto_entry_fields(e, &o);
		bytes_put(&o, e->nonce, STORE_NONCE_BYTES);
		bytes_u32(&o, (uint32_t)e->ct_len);
		crypto_generichash_update(&st, o.b, o.n);
		crypto_generichash_update(&st, e->ct, e->ct_len);
	}
	crypto_generichash_final(&st, out, STORE_MAC_BYTES);
	sodium_memzero(&st, sizeof(st));
}

enum store_status store_crypto_open(const struct store_file *f, struct store_keys *k,
                                    struct store_error *err)
{
	struct store_bytes hdr;
	unsigned char mac[STORE_MAC_BYTES];
	int bad;

	store_crypto_hdr(f, &hdr);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(k->dek, NULL, NULL, f->dek_ct, STORE_WRAPPED_BYTES,
	                                               hdr.b, hdr.n, f->dek_nonce, k->kek) != 0)
		return store_fail(err, STORE_TAMPERED, "the store's data key does not authenticate: "
		                  "the file was modified");
	store_crypto_dek_keys(k);
	store_crypto_mac(f, k, mac);
	bad = sodium_memcmp(mac, f->mac, STORE_MAC_BYTES);
	sodium_stackzero(16384);
	if (bad)
		return store_fail(err, STORE_TAMPERED, "the store's MAC does not match: secrets were added, "
		                  "removed, swapped or changed");
	return STORE_OK;
}

void store_crypto_seal(struct store_file *f, const struct store_keys *k)
{
	struct store_bytes hdr;

	memcpy(f->key_check, k->check, STORE_CHECK_BYTES);
	randombytes_buf(f->dek_nonce, STORE_NONCE_BYTES);
	store_crypto_hdr(f, &hdr);
	crypto_aead_xchacha20poly1305_ietf_encrypt(f->dek_ct, NULL, k->dek, STORE_KEY_BYTES, hdr.b, hdr.n,
	                                           NULL, f->dek_nonce, k->kek);
	store_crypto_mac(f, k, f->mac);
	sodium_stackzero(16384);
}

int store_crypto_encrypt(struct store_file *f, size_t i, const struct store_keys *k,
                         const unsigned char *value, size_t len)
{
	struct store_entry *e = &f->entries[i];
	struct store_bytes ad;
	size_t cap = len + STORE_PAD_BLOCK, padded;
	unsigned char *p = sodium_malloc(cap);
	unsigned char *ct;

	if (!p)
		return -1;
	memcpy(p, value, len);
	sodium_pad(&padded, p, len, STORE_PAD_BLOCK, cap);
	ct = malloc(padded + STORE_TAG_BYTES);
	if (!ct) {
		sodium_free(p);
		return -1;
	}
	randombytes_buf(e->nonce, STORE_NONCE_BYTES);
	store_crypto_ad(f, e, &ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, p, padded, ad.b, ad.n, NULL, e->nonce, k->enc);
	sodium_free(p);
	sodium_stackzero(16384);
	free(e->ct);
	e->ct = ct;
	e->ct_len = padded + STORE_TAG_BYTES;
	return 0;
}

enum store_status store_crypto_decrypt(const struct store_file *f, size_t i, const struct store_keys *k,
                                       struct secbuf **out, struct store_error *err)
{
	const struct store_entry *e = &f->entries[i];
	struct store_bytes ad;
	size_t padded = e->ct_len - STORE_TAG_BYTES, len;
	struct secbuf *sb = secbuf_new(padded);
	int bad;

	if (!sb)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	store_crypto_ad(f, e, &ad);
	bad = crypto_aead_xchacha20poly1305_ietf_decrypt(sb->data, NULL, NULL, e->ct, e->ct_len, ad.b, ad.n,
	                                                 e->nonce, k->enc) != 0 ||
	      sodium_unpad(&len, sb->data, padded, STORE_PAD_BLOCK) != 0 || len == 0 || len > STORE_VALUE_MAX;
	sodium_stackzero(16384);
	if (bad) {
		secbuf_free(sb);
		return store_fail(err, STORE_TAMPERED, "secret '%s' does not authenticate: the file was "
		                  "modified", e->id);
	}
	sodium_memzero(sb->data + len, padded - len + 1);
	sb->len = len;
	*out = sb;
	return STORE_OK;
}
