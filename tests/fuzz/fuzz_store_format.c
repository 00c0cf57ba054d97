/*
 * store_format_parse (the store file's strict format, store-design.md §5.1)
 * on any bytes: the parse is separate from the KDF, so no key is ever
 * derived. The KDF bounds are wide open so that every header parses as far
 * as it can. Property (store-design.md §6.13, age's FuzzMalleability): a file
 * that parses serializes to a canonical text that parses again to the same
 * header bytes and serializes to the same text.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store.h"
#include "store_crypto.h"
#include "store_format.h"

const char fuzz_target_name[] = "store_format";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct store_kdf_bounds open = { 1, UINT64_MAX, 0, UINT64_MAX };
	struct store_file *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	char *text = fuzz_strndup(data, size); /* buf[len] must be NUL */
	struct store_error err;

	if (!a || !b)
		abort();
	if (store_format_parse(text, size, &open, a, &err) == STORE_OK) {
		unsigned char ha[1024], hb[1024];
		size_t la, lb, sa_len, sb_len;
		char *sa, *sb;

		(void)store_format_find(a, "git-pat");
		if (store_format_serialize(a, &sa, &sa_len) != 0)
			abort();
		if (store_format_parse(sa, sa_len, &open, b, &err) != STORE_OK)
			abort(); /* the canonical text does not parse */
		la = store_crypto_header(a, ha, sizeof(ha));
		lb = store_crypto_header(b, hb, sizeof(hb));
		if (la != lb || la > sizeof(ha) || memcmp(ha, hb, la) != 0)
			abort();
		if (store_format_serialize(b, &sb, &sb_len) != 0)
			abort();
		if (sa_len != sb_len || memcmp(sa, sb, sa_len) != 0)
			abort(); /* two canonical forms */
		free(sa);
		free(sb);
	}
	store_format_clear(a);
	store_format_clear(b);
	free(a);
	free(b);
	free(text);
	return 0;
}
