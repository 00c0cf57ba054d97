/*
 * The git pkt-line reader on any bytes: pktline_next over the whole buffer,
 * and pktline_parse_adv as the git-http (smart_http) and git-ssh probes call
 * it, on the whole buffer and on every prefix the way bytes arrive.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pktline.h"

const char fuzz_target_name[] = "pktline";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan sees a read past the end. */
	char *buf = malloc(size ? size : 1);
	const char *payload;
	size_t off = 0, plen;
	char msg[256];

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	for (;;) {
		size_t was = off;
		enum pktline_kind k = pktline_next(buf, size, &off, &payload, &plen);

		if (k == PKTLINE_NEED_MORE || k == PKTLINE_BAD) {
			if (off != was)
				abort();
			break;
		}
		if (off <= was || off > size)
			abort();
		if (k == PKTLINE_DATA && (payload < buf || payload + plen > buf + off))
			abort();
	}
	for (int http = 0; http <= 1; http++) {
		struct pktline_adv adv;

		memset(&adv, 0, sizeof(adv));
		(void)pktline_parse_adv(buf, size, http, &adv, msg, sizeof(msg));
		if (memchr(adv.default_branch, '\0', sizeof(adv.default_branch)) == NULL)
			abort();
		/* Bytes arrive in pieces: the probes parse every prefix they receive. */
		if (size <= 4096)
			for (size_t cut = 0; cut < size; cut += 1 + cut / 8) {
				memset(&adv, 0, sizeof(adv));
				(void)pktline_parse_adv(buf, cut, http, &adv, msg, sizeof(msg));
			}
	}
	free(buf);
	return 0;
}
