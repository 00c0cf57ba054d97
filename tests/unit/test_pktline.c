/* pkt-lines and ref advertisements: real git output, truncations, garbage. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pktline.h"

#define OID_A "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
#define OID_B "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
#define OID_256 "3f2d4a1b3f2d4a1b3f2d4a1b3f2d4a1b3f2d4a1b3f2d4a1b3f2d4a1b3f2d4a1b"
#define OID_0 "0000000000000000000000000000000000000000"

/* Append one pkt-line with payload s (NULL: a flush) to buf; returns the new length. */
static size_t pkt(char *buf, size_t len, const char *s, size_t n)
{
	if (!s) {
		memcpy(buf + len, "0000", 4);
		return len + 4;
	}
	snprintf(buf + len, 5, "%04zx", n + 4);
	memcpy(buf + len + 4, s, n);
	return len + 4 + n;
}

#define PKT(buf, len, lit) pkt((buf), (len), (lit), sizeof(lit) - 1)

/* A v0 advertisement as git-upload-pack sends it (HEAD, branches, a tag). */
static size_t sample_adv(char *buf, bool http)
{
	size_t len = 0;

	if (http) {
		len = PKT(buf, len, "# service=git-upload-pack\n");
		len = pkt(buf, len, NULL, 0);
	}
	len = PKT(buf, len, OID_A " HEAD\0multi_ack thin-pack side-band symref=HEAD:refs/heads/main "
	                   "object-format=sha1 agent=git/2.39.5\n");
	len = PKT(buf, len, OID_B " refs/heads/feature\n");
	len = PKT(buf, len, OID_A " refs/heads/main\n");
	len = PKT(buf, len, OID_B " refs/tags/v1\n");
	len = PKT(buf, len, OID_A " refs/tags/v1^{}\n");
	return pkt(buf, len, NULL, 0);
}

static void test_next(void **state)
{
	const char *p = NULL;
	size_t n = 0, off = 0;
	const char buf[] = "0009hello0000000100020003";

	(void)state;
	assert_int_equal(pktline_next(buf, 9, &off, &p, &n), PKTLINE_DATA);
	assert_int_equal(n, 5);
	assert_memory_equal(p, "hello", 5);
	assert_int_equal(off, 9);
	assert_int_equal(pktline_next(buf, sizeof(buf) - 1, &off, &p, &n), PKTLINE_FLUSH);
	assert_int_equal(pktline_next(buf, sizeof(buf) - 1, &off, &p, &n), PKTLINE_DELIM);
	assert_int_equal(pktline_next(buf, sizeof(buf) - 1, &off, &p, &n), PKTLINE_END);
	assert_int_equal(off, 21);
	/* Length 3 is reserved, and nothing is consumed by a bad line. */
	assert_int_equal(pktline_next(buf, sizeof(buf) - 1, &off, &p, &n), PKTLINE_BAD);
	assert_int_equal(off, 21);
	assert_int_equal(pktline_next(buf, sizeof(buf) - 1, &off, &p, &n), PKTLINE_BAD);

	/* Truncated prefix or payload: need more, offset unchanged. */
	off = 0;
	assert_int_equal(pktline_next("000", 3, &off, &p, &n), PKTLINE_NEED_MORE);
	assert_int_equal(pktline_next("0009hell", 8, &off, &p, &n), PKTLINE_NEED_MORE);
	assert_int_equal(off, 0);
	/* Upper-case hex is accepted (git's own parser does). */
	assert_int_equal(pktline_next("000Ahello\n", 10, &off, &p, &n), PKTLINE_DATA);
	assert_int_equal(n, 6);
}

static void test_next_bad(void **state)
{
	static const char *const bad[] = {
		"zzzzhello", /* not hex */
		"00x9hello", /* hex then garbage */
		"0004",      /* empty data line: never sent */
		"fff1",      /* longer than PKTLINE_MAX */
		"<htm",      /* an HTML page */
	};
	const char *p;
	size_t n, off;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		off = 0;
		assert_int_equal(pktline_next(bad[i], strlen(bad[i]), &off, &p, &n), PKTLINE_BAD);
		assert_int_equal(off, 0);
	}
	/* The largest allowed line is fine when complete. */
	off = 0;
	assert_int_equal(pktline_next("fff0", 4, &off, &p, &n), PKTLINE_NEED_MORE);
}

static void test_adv_http(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = sample_adv(buf, true);

	(void)state;
	assert_int_equal(pktline_parse_adv(buf, len, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 3);
	assert_string_equal(adv.default_branch, "main");
	assert_string_equal(msg, "");

	/* Every proper prefix is incomplete, never an error. */
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(pktline_parse_adv(buf, cut, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_MORE);
}

static void test_adv_ssh(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = sample_adv(buf, false);

	(void)state;
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 3);
	assert_string_equal(adv.default_branch, "main");
	/* The SSH form read as smart HTTP lacks the service line. */
	assert_int_equal(pktline_parse_adv(buf, len, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
	assert_non_null(strstr(msg, "not a Git smart-HTTP answer"));
}

static void test_adv_no_symref(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = 0;

	(void)state;
	/* An old server: HEAD's branch is the one at the same commit. */
	len = PKT(buf, len, OID_B " HEAD\0multi_ack side-band-64k\n");
	len = PKT(buf, len, OID_A " refs/heads/dev\n");
	len = PKT(buf, len, OID_B " refs/heads/trunk\n");
	len = pkt(buf, len, NULL, 0);
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 2);
	assert_string_equal(adv.default_branch, "trunk");
}

static void test_adv_empty_repo(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = 0;

	(void)state;
	len = PKT(buf, len, "# service=git-upload-pack\n");
	len = pkt(buf, len, NULL, 0);
	len = PKT(buf, len, OID_0 " capabilities^{}\0multi_ack object-format=sha1\n");
	len = pkt(buf, len, NULL, 0);
	assert_int_equal(pktline_parse_adv(buf, len, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 0);
	assert_string_equal(adv.default_branch, "");

	/* A repository with nothing at all: just the flush. */
	len = pkt(buf, 0, NULL, 0);
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 0);
}

static void test_adv_sha256_and_v1(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = 0;

	(void)state;
	/* A v1 server's "version 1" line, then 64-digit (SHA-256) object ids. */
	len = PKT(buf, len, "version 1\n");
	len = PKT(buf, len, OID_256 " HEAD\0symref=HEAD:refs/heads/trunk object-format=sha256\n");
	len = PKT(buf, len, OID_256 " refs/heads/trunk\n");
	len = pkt(buf, len, NULL, 0);
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_int_equal(adv.ref_count, 1);
	assert_string_equal(adv.default_branch, "trunk");
}

static void test_adv_err_line(void **state)
{
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len = PKT(buf, 0, "ERR access denied or repository not exported: /v3/x\n");

	(void)state;
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
	assert_string_equal(msg, "the server refused: access denied or repository not exported: /v3/x");
}

static void test_adv_garbage(void **state)
{
	static const char html[] = "<!DOCTYPE html><html><head><title>Sign in</title>";
	char buf[1024], msg[256];
	struct pktline_adv adv;
	size_t len;

	(void)state;
	/* An HTML page instead of pkt-lines. */
	assert_int_equal(pktline_parse_adv(html, sizeof(html) - 1, true, &adv, msg, sizeof(msg)),
	                 PKTLINE_ADV_ERR);
	assert_non_null(strstr(msg, "not a Git smart-HTTP answer"));
	assert_non_null(strstr(msg, "<!DOCTYPE html>"));
	assert_int_equal(pktline_parse_adv(html, sizeof(html) - 1, false, &adv, msg, sizeof(msg)),
	                 PKTLINE_ADV_ERR);
	assert_non_null(strstr(msg, "not a pkt-line"));

	/* Binary after a valid service line: its first bytes in hex. */
	len = PKT(buf, 0, "# service=git-upload-pack\n");
	len = pkt(buf, len, NULL, 0);
	memset(buf + len, 0, 8);
	assert_int_equal(pktline_parse_adv(buf, len + 8, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
	assert_string_equal(msg, "not a pkt-line: bytes 00 00 00 00");

	/* A different service. */
	len = PKT(buf, 0, "# service=git-receive-pack\n");
	assert_int_equal(pktline_parse_adv(buf, len, true, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);

	/* Bad object ids, missing ref name, control bytes cut from the message. */
	len = PKT(buf, 0, "4b825dc6 HEAD\n");
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
	assert_string_equal(msg, "not a ref advertisement: \"4b825dc6 HEAD\"");
	len = PKT(buf, 0, OID_A " \0caps\n");
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
	len = PKT(buf, 0, "4B825DC642CB6EB9A060E54BF8D69288FBEE4904 HEAD\n");
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);

	/* A delim packet has no place in a v0 advertisement. */
	assert_int_equal(pktline_parse_adv("0001", 4, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_ERR);
}

static void test_adv_long_branch(void **state)
{
	char buf[2048], line[700], msg[256];
	struct pktline_adv adv;
	size_t len, n;

	(void)state;
	/* A branch name longer than the field: reported as unknown, never cut. */
	n = (size_t)snprintf(line, sizeof(line), OID_A " HEAD%csymref=HEAD:refs/heads/%0300d\n", '\0', 7);
	len = pkt(buf, 0, line, n);
	len = pkt(buf, len, NULL, 0);
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, sizeof(msg)), PKTLINE_ADV_DONE);
	assert_string_equal(adv.default_branch, "");

	/* A tiny message buffer is never overrun. */
	len = PKT(buf, 0, "ERR a long reason that does not fit in eight bytes\n");
	assert_int_equal(pktline_parse_adv(buf, len, false, &adv, msg, 8), PKTLINE_ADV_ERR);
	assert_int_equal(strlen(msg), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_bad),
		cmocka_unit_test(test_adv_http),
		cmocka_unit_test(test_adv_ssh),
		cmocka_unit_test(test_adv_no_symref),
		cmocka_unit_test(test_adv_empty_repo),
		cmocka_unit_test(test_adv_sha256_and_v1),
		cmocka_unit_test(test_adv_err_line),
		cmocka_unit_test(test_adv_garbage),
		cmocka_unit_test(test_adv_long_branch),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("pktline", tests, NULL, NULL);
}
