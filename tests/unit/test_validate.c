/* The validators of names, identifiers, secret ids, tags and the other plain values. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ident.h"
#include "strlist.h"
#include "utf8.h"
#include "validate.h"

/* A case: the input, whether it passes, and a piece of the message when it does not. */
struct vcase {
	const char *in;
	bool ok;
	const char *says;
};

/* A string of n copies of unit (static buffer per call site is enough here). */
static char *repeat(const char *unit, size_t n)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return s;
}

static void check_case(bool (*fn)(const char *, char *, size_t), const char *in, bool ok,
                       const char *says)
{
	char msg[512] = "";
	bool got = fn(in, msg, sizeof(msg));

	if (got != ok || (!ok && !strstr(msg, says)) || (!ok && !msg[0]))
		fail_msg("input '%s': got %s '%s', expected %s '%s'", in, got ? "ok" : "refused", msg,
		         ok ? "ok" : "refused", says ? says : "");
	/* Messages are one line. */
	assert_null(strchr(msg, '\n'));
}

static void check_table(bool (*fn)(const char *, char *, size_t), const struct vcase *cases,
                        size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_case(fn, cases[i].in, cases[i].ok, cases[i].says);
}

static bool check_identifier(const char *id, char *msg, size_t msglen)
{
	return ident_check_identifier(id, "identifier", msg, msglen);
}

static void test_name(void **state)
{
	static const struct vcase cases[] = {
		{ "Azure Payments", true, NULL },
		{ "my.repo-1_x", true, NULL },
		{ ".hidden", true, NULL },
		{ "-dash first", true, NULL },
		{ "trailing space ", true, NULL },
		{ "a", true, NULL },
		{ "", false, "a name is required" },
		{ " leading", false, "cannot start with a space" },
		{ "a/b", false, "'/' is not allowed: use ASCII letters, digits, spaces" },
		{ "Zürich", false, "'ü' is not allowed" },
		{ "日本", false, "'日' is not allowed" },
		{ "tab\there", false, "a tab is not allowed" },
		{ "bell\a", false, "a control character (0x07)" },
		{ "bad\xff", false, "a byte that is not UTF-8 (0xFF)" },
		{ "a:b", false, "':' is not allowed" },
	};
	char *s64 = repeat("a", 64), *s65 = repeat("a", 65);
	char *u64 = repeat("ü", 64), *u65 = repeat("ü", 65);

	(void)state;
	check_table(ident_check_name, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(ident_check_name, s64, true, NULL);
	check_case(ident_check_name, s65, false, "at most 64 characters long (this one has 65)");
	/* Characters, not bytes: 64 two-byte letters are not "too long". */
	check_case(ident_check_name, u64, false, "'ü' is not allowed");
	check_case(ident_check_name, u65, false, "(this one has 65)");
	free(s64);
	free(s65);
	free(u64);
	free(u65);
}

static void test_identifier(void **state)
{
	static const struct vcase cases[] = {
		{ "azure_payments", true, NULL },
		{ "_x", true, NULL },
		{ "x$y", true, NULL },
		{ "A1", true, NULL },
		{ "Step", true, NULL },  /* keywords are case-sensitive */
		{ "steps", true, NULL },
		{ "", false, "an identifier is required" },
		{ "1abc", false, "cannot start with a digit or '$'" },
		{ "$x", false, "cannot start with a digit or '$'" },
		{ "a-b", false, "'-' is not allowed: use ASCII letters, digits, '_' and '$' (e.g. 'a_b')" },
		/* The example offered is one that is right: '_' for '-', '.' and spaces, '_' before a digit. */
		{ "1-a", false, "cannot start with a digit or '$': start with a letter or '_' (e.g. '_1_a')" },
		{ "web.app v2", false, "'.' is not allowed: use ASCII letters, digits, '_' and '$' (e.g. 'web_app_v2')" },
		{ "a b", false, "a space is not allowed" },
		{ "a.b", false, "'.' is not allowed" },
		{ "café", false, "'é' is not allowed" },
		{ "../etc", false, "'.' is not allowed" },
	};
	static const char *const reserved[] = {
		"or", "and", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod", "not", "null", "true",
		"false", "new", "var", "return", "step", "parallel", "stepGroup", "org", "account",
		"class", "shellScriptProvisioner", "status", "liteEngineTask",
	};
	char *s128 = repeat("a", 128), *s129 = repeat("a", 129);

	(void)state;
	check_table(check_identifier, cases, sizeof(cases) / sizeof(cases[0]));
	/* No example when '_' for them would not do: another character is wrong too. */
	char msg[512];
	assert_false(check_identifier("caf\xc3\xa9-x", msg, sizeof(msg)));
	assert_null(strstr(msg, "e.g."));
	assert_false(check_identifier("9caf\xc3\xa9", msg, sizeof(msg)));
	assert_null(strstr(msg, "e.g."));
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		char says[128];

		snprintf(says, sizeof(says), "'%s' is a reserved Harness keyword", reserved[i]);
		check_case(check_identifier, reserved[i], false, says);
		assert_true(ident_is_reserved(reserved[i]));
	}
	check_case(check_identifier, s128, true, NULL);
	check_case(check_identifier, s129, false, "at most 128 characters long (this one has 129)");
	free(s128);
	free(s129);
}

static void test_identifier_what(void **state)
{
	char msg[256];

	(void)state;
	assert_false(ident_check_identifier("", "organization identifier", msg, sizeof(msg)));
	assert_string_equal(msg, "an organization identifier is required");
}

static void test_identifier_from_name(void **state)
{
	static const struct {
		const char *name, *id;
	} cases[] = {
		{ "Azure Payments", "Azure_Payments" },
		{ "  Azure   Payments  ", "Azure_Payments" },
		{ "azure-payments.v2", "azurepaymentsv2" },
		{ "123 Web", "_123_Web" },
		{ "$money", "_$money" },
		{ "a$b", "a$b" },
		{ "step", "step_" },
		{ "Step", "Step" },
		{ "Zürich Repo", "Zrich_Repo" },
		{ "a - b", "a_b" },
		{ "- Web", "Web" }, /* a space after what is dropped starts nothing: no leading '_' */
		{ "---", "" },
		{ "", "" },
		/* Run together, its parts would look like a token (refused as one): '.' and '-' keep them apart. */
		{ "svc-bldr-xfrm-prd-2345-wstrn-k7s-grp-7-cntnr-rgstry-snc-qz-bkp-mgr",
		  "svc_bldr_xfrm_prd_2345_wstrn_k7s_grp_7_cntnr_rgstry_snc_qz_bkp_mgr" },
		{ "ops.bldr-xfrm-prd-2345-wstrn-k7s-grp-7-cntnr-rgstry-sync.qz-bkp-mgr-v2",
		  "ops_bldr_xfrm_prd_2345_wstrn_k7s_grp_7_cntnr_rgstry_sync_qz_bkp_mgr_v2" },
		/* Apart already where its spaces are: as Harness derives it. */
		{ "ops.bldr xfrm-prd 2345.wstrn-k7s grp-7-cntnr-rgstry-sync.qz-bkp-mgr-v2",
		  "opsbldr_xfrmprd_2345wstrnk7s_grp7cntnrrgstrysyncqzbkpmgrv2" },
	};
	char buf[IDENT_ID_MAX + 1], msg[256], spaced[IDENT_ID_MAX + 2], wide[IDENT_ID_MAX + 2];
	char *long_name = repeat("a", 200), *digit_name = repeat("9", 200);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ident_from_name(cases[i].name, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].id);
		if (*buf && !ident_check_identifier(buf, "identifier", msg, sizeof(msg)))
			fail_msg("'%s' -> '%s' is invalid: %s", cases[i].name, buf, msg);
	}
	ident_from_name(long_name, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 128);
	assert_true(ident_check_identifier(buf, "identifier", msg, sizeof(msg)));
	ident_from_name(digit_name, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 128);
	assert_int_equal(buf[0], '_');
	assert_true(ident_check_identifier(buf, "identifier", msg, sizeof(msg)));
	/* 127 letters, a space and one more: '_' and 'b' run past the limit, cut to it in any buffer. */
	memset(spaced, 'a', IDENT_ID_MAX - 1);
	memcpy(spaced + IDENT_ID_MAX - 1, " b", 3);
	ident_from_name(spaced, wide, sizeof(wide));
	assert_true(strlen(wide) <= IDENT_ID_MAX);
	assert_true(ident_check_identifier(wide, "identifier", msg, sizeof(msg)));
	free(long_name);
	free(digit_name);
}

static void test_secret_id(void **state)
{
	static const struct vcase cases[] = {
		{ "azure_pat", true, NULL },
		{ "web-token", true, NULL },
		{ "a1", true, NULL },
		{ "", false, "a store id is required" },
		{ "Web", false, "a store id is in lower case: 'web'" },
		{ "Bad.Id", false, "must start with a lower-case letter" }, /* in lower case, still not one */
		{ "1abc", false, "must start with a lower-case letter" },
		{ "_abc", false, "must start with a lower-case letter" },
		{ "webToken", false, "a store id is in lower case: 'webtoken'" },
		{ "web$Token", false, "'$' is not allowed: use lower-case ASCII letters" },
		{ "a.b", false, "'.' is not allowed" },
		{ "a..b", false, "'.' is not allowed" },
		{ "a b", false, "a space is not allowed" },
		/* Only blanks (a space typed in an empty row shows nothing): said as spaces. */
		{ " ", false, "a store id has no spaces: remove them" },
		{ " \t ", false, "a store id has no spaces: remove them" },
		{ " web", false, "must start with a lower-case letter" },
		{ "null", false, "reserved Harness keyword" },
		{ "café", false, "'é' is not allowed" },
		/* Tokens given where an id goes: refused without quoting them. */
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", false,
		  "this looks like a Personal Access Token, not the id of a secret: a token is given as a secret's value" },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs", true, NULL },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs8", true, NULL }, /* 8: not base32 */
		/* Typed onto the end of a value already there: the token is within the run. */
		{ "azfixabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", false,
		  "looks like a Personal Access Token" },
		{ "a8abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", false, "looks like a Personal Access Token" },
		/* No 52 base32 characters in a row: '8' and '0' are not base32. */
		{ "abcdefghijklmnopqrstuvwxyz2345678abcdefghijklmnopqrst", true, NULL },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdef0ghijklmnopqrst", true, NULL },
		/* A token's length, but letters alone: a (long) name, not a random token. */
		{ "paymentsgatewayserviceforinternationalcustomersrepos", true, NULL },
		{ "a234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZDO", false,
		  "looks like a Personal Access Token" },
		/* The new format's sample in a public secret scanner's rule (kingfisher): its run of A's is no word. */
		{ "FBdFol081crwkIHWJH2yiqDDyrFjVSi7HWl22hN2hTYfsB8NlGDpJQQJ77BAACAAAAAAAAAAAAASAZDOBucT", false,
		  "looks like a Personal Access Token" },
	};
	char *s64 = repeat("a", 64), *s65 = repeat("a", 65);

	(void)state;
	check_table(ident_check_secret_id, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(ident_check_secret_id, s64, true, NULL);
	check_case(ident_check_secret_id, s65, false, "at most 64 characters long (this one has 65)");
	/* 64 characters in 127 bytes, in capitals: not one of 64 bytes made lower-case. */
	char *wide = repeat("é", 63), capital[160];
	snprintf(capital, sizeof(capital), "A%s", wide);
	check_case(ident_check_secret_id, capital, false, "must start with a lower-case letter");
	free(wide);
	free(s64);
	free(s65);
}

static void test_secret_id_default(void **state)
{
	static const struct {
		const char *identifier, *suffix, *id;
	} cases[] = {
		{ "azure_payments", "token", "azure_payments-token" },
		{ "Azure_Payments", "api-token", "azure_payments-api-token" },
		{ "_$x1", "token", "x1-token" },
		{ "a$b", "ssh-key", "ab-ssh-key" },
		{ "_", "token", "connector-token" },
		{ "", "ssh-key-passphrase", "connector-ssh-key-passphrase" },
	};
	char buf[IDENT_SECRET_ID_MAX + 1], msg[256];
	char *long_id = repeat("A", 128);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ident_secret_id(cases[i].identifier, cases[i].suffix, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].id);
		assert_true(ident_check_secret_id(buf, msg, sizeof(msg)));
	}
	ident_secret_id(long_id, "ssh-key-passphrase", buf, sizeof(buf));
	assert_int_equal(strlen(buf), 64);
	assert_true(ident_check_secret_id(buf, msg, sizeof(msg)));
	assert_string_equal(buf + 64 - strlen("-ssh-key-passphrase"), "-ssh-key-passphrase");
	free(long_id);
}

static void test_tags(void **state)
{
	static const struct vcase cases[] = {
		{ "team:payments", true, NULL },
		{ "team:payments,prod", true, NULL },
		{ "team:", true, NULL },
		{ "a:b:c", true, NULL },
		{ "ü:ö", true, NULL },
		{ "team:a,team:b", false, "tag 'team' is given twice" },
		{ "Team:a,team:b", true, NULL }, /* keys are case-sensitive, as a map's in Harness */
		{ "prod,prod", false, "tag 'prod' is given twice" },
		{ "prod,prod:x", false, "tag 'prod' is given twice" },
		{ ":x", false, "tag ':x' needs a key before ':'" },
		{ "team:payments,:x,prod", false, "tag ':x' needs a key before ':' (e.g. 'team:payments')" },
		{ "team :x", false, "remove the spaces around ':'" },
		{ "team: x", false, "remove the spaces around ':'" },
		{ "a\x01", false, "a control character (0x01) is not allowed in a tag" },
		/* A tab around ':' is a control character, not a space to remove. */
		{ "team\t:x", false, "a tab is not allowed in a tag: remove it" },
		{ "team:\tx", false, "a tab is not allowed in a tag: remove it" },
	};
	char *t128 = repeat("t", 128), *t129 = repeat("t", 129);

	(void)state;
	check_table(validate_tags, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(validate_tags, t128, true, NULL);
	check_case(validate_tags, t129, false, "a tag can be at most 128 characters long");
	free(t128);
	free(t129);
}

static void test_delegate_tags(void **state)
{
	static const struct vcase cases[] = {
		{ "linux-delegate,eu-west", true, NULL },
		{ "k8s", true, NULL },
		{ "a b", false, "a delegate tag has no spaces" },
		{ "eu,eu", false, "delegate tag 'eu' is given twice" },
		{ "eu\x7f", false, "a control character (0x7F)" },
		{ "a\tb", false, "a tab is not allowed in a delegate tag: remove it" },
	};
	char *t128 = repeat("d", 128), *t129 = repeat("d", 129);

	(void)state;
	check_table(validate_delegate_tags, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(validate_delegate_tags, t128, true, NULL);
	check_case(validate_delegate_tags, t129, false, "at most 128 characters long");
	free(t128);
	free(t129);
}

static void test_username(void **state)
{
	static const struct vcase cases[] = {
		{ "ci-bot", true, NULL },
		{ "jane@contoso.com", true, NULL },
		{ "", false, "a username is required" },
		{ "a b", false, "a space is not allowed in a username" },
		{ "a:b", false, "':' is not allowed in a username" },
		{ "a\nb", false, "a line break is not allowed in a username" },
	};
	char *u256 = repeat("u", 256), *u257 = repeat("u", 257);

	(void)state;
	check_table(validate_username, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(validate_username, u256, true, NULL);
	check_case(validate_username, u257, false, "at most 256 characters long (this one has 257)");
	free(u256);
	free(u257);
}

/* What is copied with or for a token is named; the token itself never is. */
static void test_token(void **state)
{
	static const struct vcase cases[] = {
		{ "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop", true, NULL }, /* a classic PAT's shape */
		{ "x", true, NULL },
		{ "Bearerabc", true, NULL }, /* no blank: not the scheme */
		{ "abc=", true, NULL },
		{ "", false, "the value is only blanks" },
		{ " \t ", false, "the value is only blanks" },
		{ "Bearer abc123", false, "that is an HTTP Authorization value ('Bearer ...'): give the Personal Access Token alone" },
		{ "bearer abc123", false, "('Bearer ...')" },
		{ "Bearer\tabc123", false, "that is an HTTP Authorization value ('Bearer ...')" }, /* a tab for the space */
		{ "Basic Y2k6dG9rZW4=", false, "that is an HTTP Authorization value ('Basic ...')" },
		{ "https://dev.azure.com/contoso", false, "that is a URL, not a token" },
		{ "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n", false,
		  "that is an SSH private key, not a token (an SSH key goes with connection type SSH)" },
		{ "-----BEGIN RSA PRIVATE KEY-----", false, "that is an SSH private key, not a token" },
		{ "ssh-rsa AAAAB3NzaC1yc2E ci@host", false, "that is an SSH public key, not a token" },
		{ "ssh-ed25519 AAAAC3NzaC1 ci@host", false, "that is an SSH public key, not a token" },
		{ "-----BEGIN CERTIFICATE-----", false, "a token has no spaces" }, /* not a key: the rule it breaks */
		{ "ghp_abc123", false, "that is a GitHub token (ghp_...): Azure DevOps takes only its own" },
		{ "github_pat_11abc", false, "that is a GitHub token (github_pat_...)" },
		{ "glpat-abc123", false, "that is a GitLab token (glpat-...)" },
		/* An Entra ID access token (a JWT): three base64url parts; one part less or more is no JWT. */
		{ "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI0OTliODRhYyJ9.c2lnbmF0dXJl-_x", false,
		  "that is an access token of Microsoft Entra ID (eyJ..., as 'az account get-access-token' gives), "
		  "which expires in about an hour: create a Personal Access Token in Azure DevOps (User settings > "
		  "Personal access tokens)" },
		{ " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig ", false, "an access token of Microsoft Entra ID" },
		{ "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0", true, NULL },
		{ "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig.more", true, NULL },
		{ "eyJhbGciOiJIUzI1NiJ9..sig", true, NULL },
		{ "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.", true, NULL },
		{ "eyJabc", true, NULL },
		{ "\"abc123\"", false, "remove the quote marks copied with the token" },
		{ "'abc123'", false, "remove the quote marks copied with the token" },
		{ "\"abc123", false, "remove the quote marks copied with the token" },
		{ "abc123'", false, "remove the quote marks copied with the token" },
		{ "abc 123", false, "a token has no spaces" },
		{ " abc123", false, "remove the blanks before and after the token" },
		{ "abc123\t", false, "remove the blanks before and after the token" },
		{ "ci:abc123", false, "a token has no ':': give the token alone (the username is a field of its own: Username, --username)" },
		{ "abc\xe2\x80\x9c" "123", false, "'\xe2\x80\x9c' is not part of a token" },
		{ "abc\xff", false, "a byte that is not UTF-8 (0xFF) is not part of a token" },
		/* A token's shape with more around it: refused; its shape alone is fine. */
		{ "PAT=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", false,
		  "there is more than the token here (an Azure DevOps token is letters and digits only): give the "
		  "token alone" },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst;", false, "there is more than the token here" },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst\n", false,
		  "a line break inside: give the token alone, on one line" },
		{ "abc\x01" "def", false, "a control character inside" },
		{ "abc\rdef", false, "a line break inside" }, /* CR as LF: a Windows line end */
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst", true, NULL },
		/* Twice in a row (pasted again after the first): said, in either form. */
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst",
		  false, "this is two tokens one after the other (pasted twice?): give one" },
		{ "a234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZDO"
		  "b234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZDO",
		  false, "this is two tokens one after the other (pasted twice?)" },
		/* Not two: a character past base32 (8), or one more or one less. */
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs8",
		  true, NULL },
		{ "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrs",
		  true, NULL },
		{ "a234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZDO"
		  "b234567890abcdefghijABCDEFGHIJ1234567890abcdefghijABCDEFGHIJ1234567890abcdefghijAZD",
		  true, NULL },
	};
	char msg[512];

	(void)state;
	check_table(validate_token, cases, sizeof(cases) / sizeof(cases[0]));
	/* Never the token in its message. */
	assert_false(validate_token("ci:s3cr3t-t0ken", msg, sizeof(msg)));
	assert_null(strstr(msg, "s3cr3t"));
	assert_false(validate_token("Bearer s3cr3t-t0ken", msg, sizeof(msg)));
	assert_null(strstr(msg, "s3cr3t"));
}

/* A token shorter than Azure DevOps makes them is noted (never refused: validate_token takes it). */
static void test_token_short(void **state)
{
	char msg[256] = "";

	(void)state;
	assert_false(validate_token_short(0, msg, sizeof(msg)));
	assert_true(validate_token_short(VALIDATE_PAT_LEN - 1, msg, sizeof(msg)));
	assert_string_equal(msg, "only 51 characters: Azure DevOps makes tokens of 52 or more; was it cut short "
	                         "when copied?");
	assert_false(validate_token_short(VALIDATE_PAT_LEN, msg, sizeof(msg)));
	assert_false(validate_token_short(84, msg, sizeof(msg)));
}

static void test_description(void **state)
{
	static const struct vcase cases[] = {
		{ "Payments project on Azure Repos", true, NULL },
		{ "two\nlines\tand a tab", true, NULL },
		{ "ünïcödé", true, NULL },
		{ "bell\a", false, "a control character (0x07) is not allowed in a description" },
		{ "two\r\nlines", false, "a carriage return (0x0D, a Windows line end?) is not allowed in a description" },
	};
	char *d1024 = repeat("é", 1024), *d1025 = repeat("d", 1025);

	(void)state;
	check_table(validate_description, cases, sizeof(cases) / sizeof(cases[0]));
	check_case(validate_description, d1024, true, NULL);
	check_case(validate_description, d1025, false, "at most 1024 characters long (this one has 1025)");
	free(d1024);
	free(d1025);
}

static void test_strlist(void **state)
{
	char *l = strlist_append(NULL, " a , ,b ,");
	char *m;
	const char *cur, *item;
	size_t len;

	(void)state;
	assert_string_equal(l, "a,b");
	m = strlist_append(l, "c ,\td");
	assert_string_equal(m, "a,b,c,d");
	free(l);
	l = strlist_append(NULL, " , ");
	assert_string_equal(l, "");
	cur = m;
	assert_true(strlist_next(&cur, &item, &len));
	assert_int_equal(len, 1);
	assert_memory_equal(item, "a", 1);
	assert_true(strlist_next(&cur, &item, &len));
	assert_true(strlist_next(&cur, &item, &len));
	assert_true(strlist_next(&cur, &item, &len));
	assert_memory_equal(item, "d", 1);
	assert_false(strlist_next(&cur, &item, &len));
	cur = l;
	assert_false(strlist_next(&cur, &item, &len));
	cur = NULL;
	assert_false(strlist_next(&cur, &item, &len));
	free(l);
	free(m);
}

/* A piece of a key where a name goes: its armour, or one of its base64 lines; not a hex digest. */
static void test_key_text(void **state)
{
	(void)state;
	assert_true(validate_looks_like_key_text("-----BEGIN OPENSSH PRIVATE KEY-----"));
	assert_true(validate_looks_like_key_text("x -----END RSA PRIVATE KEY-----"));
	assert_true(validate_looks_like_key_text("MIIEowIBAAKCAQEAvDayEnCsrQl4xK2mE9kqZ0n7Yc3pLw5sT8uHjR1fGbVaXo6iNdQeW"));
	assert_true(validate_looks_like_key_text("team:b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn"));
	assert_false(validate_looks_like_key_text("Azure Payments"));
	assert_false(validate_looks_like_key_text("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
	assert_false(validate_looks_like_key_text("https://dev.azure.com/contoso/Payments/_git/payments-api"));
	assert_false(validate_looks_like_key_text("MIIEowIBAAKCAQEAvDayEnCsrQl4xK2mE9kqZ0n7Yc3pLw5sT8u")); /* 51: short */
	assert_false(validate_looks_like_key_text("dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddEND"));
	assert_false(validate_looks_like_key_text("PaymentsPlatformRepositoryForTheEuropeanRegionAndTheAmericasToo2"));
	assert_false(validate_looks_like_key_text("/contoso/PaymentsPlatformRepositoryForTheEuropeanRegionAndTheAmericas"));
	/* Every line of the test keys' base64 but one in 154 (in an encrypted PKCS#8 key). */
	assert_true(validate_looks_like_key_text("LaxyorlCWgTjRR/rinytYZAmVOkB/cH7+TfgkZXjMRBzwUxHinOMilqCgcbwbHKM"));
}

static void test_utf8(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(utf8_count("aü日😀"), 4);
	assert_int_equal(utf8_count("\xff\xfe"), 2);
	assert_int_equal(utf8_count("\xc3"), 1);       /* truncated sequence */
	assert_int_equal(utf8_count("\xe0\x80\x80"), 3); /* overlong form */
	assert_int_equal(utf8_count("\xed\xa0\x80"), 3); /* surrogate */
	assert_string_equal(utf8_describe("😀x", buf, sizeof(buf)), "'😀'");
	assert_string_equal(utf8_describe(" ", buf, sizeof(buf)), "a space");
	/* Scrubbed for JSON: a bad byte shows as '?' (never dropped: "caf" may be another name);
	 * only a character cut short at the very end goes. */
	struct { const char *in, *out; } scrub[] = {
		{ "caf\xe9", "caf?" }, { "caf\xe9s", "caf?s" }, { "a\xff\xfe", "a??" },
		{ "ü日😀", "ü日😀" }, { "ok \xc3", "ok ?" }, { "ok \xf0\x9f\x98", "ok " },
		{ "\xc3x", "?x" }, { "\xe0\x80\x80", "???" }, { "\xc3\xa9\xc3", "é?" }, { "é\xe6\x97", "é" },
	};
	for (size_t i = 0; i < sizeof(scrub) / sizeof(scrub[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", scrub[i].in);
		utf8_scrub(buf);
		assert_string_equal(buf, scrub[i].out);
	}
	/* Defanged for a terminal: control characters as '?', lines and tabs kept, other text as it was. */
	struct { const char *in, *out; } defang[] = {
		{ "a\x1b[2Jb", "a?[2Jb" }, { "t\x07\x7f\r", "t???" }, { "two\nlines\tok", "two\nlines\tok" },
		{ "c1 \xc2\x9b" "2J \xc2\x85", "c1 ?2J ?" }, { "\xc2\xa0é日", "\xc2\xa0é日" }, { "caf\xe9\x1b", "caf??" },
	};
	for (size_t i = 0; i < sizeof(defang) / sizeof(defang[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", defang[i].in);
		utf8_defang(buf);
		assert_string_equal(buf, defang[i].out);
	}
	/* As one line of a message: a newline too is '?'. */
	snprintf(buf, sizeof(buf), "%s", "two\nlines\tok\x1b");
	utf8_defang_line(buf);
	assert_string_equal(buf, "two?lines\tok?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_key_text),
		cmocka_unit_test(test_identifier),
		cmocka_unit_test(test_identifier_what),
		cmocka_unit_test(test_identifier_from_name),
		cmocka_unit_test(test_secret_id),
		cmocka_unit_test(test_secret_id_default),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_delegate_tags),
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_token_short),
		cmocka_unit_test(test_description),
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_utf8),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
