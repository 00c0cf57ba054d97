/*
 * The unit-test API of the store: the same functions with other KDF bounds,
 * defaults, lock timeout or KDF. Only tests include this header; the program
 * goes through store.h, which always uses store_params_production.
 */
#ifndef AZ_STORE_PARAMS_H
#define AZ_STORE_PARAMS_H

#include "store.h"
#include "store_crypto.h"
#include "store_format.h"

/* The cheapest KDF a test may ask for (ops 1, 8 MiB, about 4 ms). */
#define STORE_TEST_OPS_MIN 1
#define STORE_TEST_MEM_MIN (UINT64_C(8) << 20)

struct store_params {
	struct store_kdf_bounds bounds; /* what a reader accepts before any KDF */
	uint64_t ops_default;           /* for new stores and rekey */
	uint64_t mem_default;
	uint64_t ops_fallback;          /* when memory is short */
	uint64_t mem_fallback;
	int lock_timeout_ms;
	store_kdf_fn kdf;
};

/* Argon2id bounds [2, 10] x [64 MiB, 1 GiB], MODERATE by default, INTERACTIVE
 * when memory is short, a 5 s lock timeout, the real KDF. */
const struct store_params *store_params_production(void);

/* Ops 1 / 8 MiB bounds and defaults (upper bounds as in production). */
const struct store_params *store_params_test(void);

/* store_load / store_create with params (STORE_INVALID if params go below the test floor). */
enum store_status store_load_params(const char *path, const struct store_params *params,
                                    struct store **out, struct store_error *err);
enum store_status store_create_params(const char *path, const struct store_params *params,
                                      enum store_method method, const struct secbuf *key,
                                      struct store **out, struct store_error *err);

#endif
