/*
 * The store file as data (format v1, store-design.md §5.1): strict parse of
 * the JSON text into a checked model, and its canonical serialization. Only
 * ciphertext, nonces and public fields live here; no key is needed.
 */
#ifndef AZ_STORE_FORMAT_H
#define AZ_STORE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_FORMAT_NAME "azrepos-connect-store"
#define STORE_FORMAT_VERSION 1
#define STORE_FILE_MAX (1024 * 1024)
#define STORE_MAX_ENTRIES 64
#define STORE_ID_BYTES 16
#define STORE_SALT_BYTES 16
#define STORE_NONCE_BYTES 24
#define STORE_KEY_BYTES 32
#define STORE_TAG_BYTES 16
#define STORE_WRAPPED_BYTES (STORE_KEY_BYTES + STORE_TAG_BYTES)
#define STORE_CHECK_BYTES 32
#define STORE_MAC_BYTES 32
#define STORE_PAD_BLOCK 256
/* Largest padded plaintext: sodium_pad always adds at least one byte. */
#define STORE_PADDED_MAX (STORE_VALUE_MAX + STORE_PAD_BLOCK)
#define STORE_CT_MAX (STORE_PADDED_MAX + STORE_TAG_BYTES)
#define STORE_NUMBER_MAX ((UINT64_C(1) << 53) - 1)
#define STORE_KDF_ARGON2ID13 2 /* crypto_pwhash_ALG_ARGON2ID13, as stored in the header */

/* Bounds on the KDF parameters a reader accepts (checked before any KDF). */
struct store_kdf_bounds {
	uint64_t ops_min, ops_max;
	uint64_t mem_min, mem_max;
};

struct store_unlock_hdr {
	enum store_method method;
	uint8_t kdf_alg;          /* the passphrase method only; 0 otherwise */
	uint64_t opslimit;
	uint64_t memlimit;
	unsigned char salt[STORE_SALT_BYTES];
};

struct store_entry {
	char id[STORE_ID_MAX + 1];
	enum store_kind kind;
	uint64_t created;
	uint64_t updated;
	unsigned char nonce[STORE_NONCE_BYTES];
	unsigned char *ct;        /* malloc'ed ciphertext with its tag */
	size_t ct_len;
};

struct store_file {
	unsigned char store_id[STORE_ID_BYTES];
	uint64_t generation;
	struct store_unlock_hdr unlock;
	unsigned char key_check[STORE_CHECK_BYTES];
	unsigned char dek_nonce[STORE_NONCE_BYTES];
	unsigned char dek_ct[STORE_WRAPPED_BYTES];
	size_t count;
	struct store_entry entries[STORE_MAX_ENTRIES]; /* strictly increasing ids */
	unsigned char mac[STORE_MAC_BYTES];
};

/*
 * Parse len bytes (buf[len] must be NUL, as fileio_read_* leave it) into f
 * (allocated by the caller, filled from zero). Every rule of §5.1: size,
 * plain printable ASCII without escapes, one JSON object with exactly the
 * known keys once each and of the right types, integral numbers, canonical
 * base64 of exact lengths, KDF parameters within bounds, ids valid and
 * strictly increasing. STORE_UNSUPPORTED for a newer version (nothing else
 * is read), STORE_CORRUPT otherwise, with the reason in err.
 */
enum store_status store_format_parse(const char *buf, size_t len, const struct store_kdf_bounds *bounds,
                                     struct store_file *f, struct store_error *err);

/* The canonical JSON text of f (malloc'ed, *len bytes plus a NUL). -1 on no memory. */
int store_format_serialize(const struct store_file *f, char **out, size_t *len);

/* Free the ciphertexts of f and zero it (f itself is the caller's). */
void store_format_clear(struct store_file *f);

/* Entry index of id, or -1. */
int store_format_find(const struct store_file *f, const char *id);

#endif
