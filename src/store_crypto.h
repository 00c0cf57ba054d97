/*
 * The store's cryptography (store-design.md §5.2): key derivation, the key
 * check, the wrapped data key, the canonical binary header that every AEAD
 * call and the MAC cover, and the per-secret encryption.
 */
#ifndef AZ_STORE_CRYPTO_H
#define AZ_STORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"
#include "store_format.h"

/* The keys of one unlocked store, all in one sodium_malloc region. */
struct store_keys {
	unsigned char master[STORE_KEY_BYTES];
	unsigned char kek[STORE_KEY_BYTES];
	unsigned char check[STORE_CHECK_BYTES];
	unsigned char dek[STORE_KEY_BYTES];
	unsigned char enc[STORE_KEY_BYTES];
	unsigned char mac[STORE_KEY_BYTES];
};

/* A password KDF: 0, or -1 when it could not run (out of memory). */
typedef int (*store_kdf_fn)(unsigned char master[STORE_KEY_BYTES], const unsigned char *pass, size_t len,
                            const unsigned char salt[STORE_SALT_BYTES], uint64_t opslimit,
                            uint64_t memlimit);

/* Argon2id 1.3 through libsodium: the KDF of every real store. */
int store_crypto_argon2id(unsigned char master[STORE_KEY_BYTES], const unsigned char *pass, size_t len,
                          const unsigned char salt[STORE_SALT_BYTES], uint64_t opslimit, uint64_t memlimit);

/* MemAvailable of /proc/meminfo in bytes; false when unknown. */
bool store_crypto_mem_available(uint64_t *bytes);

struct store_keys *store_keys_new(void);
void store_keys_free(struct store_keys *k);

/*
 * master (then kek and check) from the key material as f's unlock header
 * says: Argon2id through kdf for a passphrase, keyed BLAKE2b bound to the
 * store_id for a key file or credential. STORE_KDF_RESOURCES when the memory
 * limit exceeds the memory available or the KDF fails.
 */
enum store_status store_crypto_master(const struct store_file *f, const unsigned char *material,
                                      size_t len, store_kdf_fn kdf, struct store_keys *k,
                                      struct store_error *err);

/* Constant-time comparison of the derived check value with f's key_check. */
bool store_crypto_check_ok(const struct store_file *f, const struct store_keys *k);

/* Unwrap f's data key with k's kek, derive enc and mac keys, verify the MAC. */
enum store_status store_crypto_open(const struct store_file *f, struct store_keys *k,
                                    struct store_error *err);

/* A fresh random data key and its enc and mac keys. */
void store_crypto_new_dek(struct store_keys *k);

/* Fill f's key_check, wrapped data key (new nonce) and MAC from k: the last
 * step after every entry is encrypted for f's header. */
void store_crypto_seal(struct store_file *f, const struct store_keys *k);

/* Encrypt value (padded) into entry i of f, with a new nonce, for f's header.
 * -1 when out of memory. */
int store_crypto_encrypt(struct store_file *f, size_t i, const struct store_keys *k,
                         const unsigned char *value, size_t len);

/* Decrypt entry i of f into a new secbuf; STORE_TAMPERED when it does not authenticate. */
enum store_status store_crypto_decrypt(const struct store_file *f, size_t i, const struct store_keys *k,
                                       struct secbuf **out, struct store_error *err);

/* The canonical header bytes (for tests of the round trip): returns the length. */
size_t store_crypto_header(const struct store_file *f, unsigned char *out, size_t cap);

/* The MAC of f under k's mac key. */
void store_crypto_mac(const struct store_file *f, const struct store_keys *k,
                      unsigned char out[STORE_MAC_BYTES]);

#endif
