/* The one-line editor: UTF-8 editing, filtering of inserted text, scrolling and masking. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <locale.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "input.h"

/* The marks of the ASCII screens: each one byte, one column. */
static const struct input_marks marks = { "*", "<", ">" };
/* The marks of the UTF-8 screens: three bytes, one column. */
static const struct input_marks marks_utf8 = { "\u2022", "\u2026", "\u2026" };

static void insert(struct input *in, const char *s)
{
	assert_true(input_insert(in, s, strlen(s), false));
}

static void times(struct input *in, enum input_op op, int n)
{
	while (n-- > 0)
		input_op(in, op);
}

static void test_insert_and_move(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "a\u00e9\u65e5\u672cb"); /* aé日本b: 1 + 2 + 3 + 3 + 1 bytes */
	assert_string_equal(input_text(&in), "a\u00e9\u65e5\u672cb");
	assert_int_equal(in.cursor, 10);
	const size_t left[] = { 9, 6, 3, 1, 0, 0 };
	for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		assert_false(input_op(&in, INPUT_LEFT));
		assert_int_equal(in.cursor, left[i]);
	}
	const size_t right[] = { 1, 3, 6 };
	for (size_t i = 0; i < sizeof(right) / sizeof(right[0]); i++) {
		input_op(&in, INPUT_RIGHT);
		assert_int_equal(in.cursor, right[i]);
	}
	insert(&in, "x");
	assert_string_equal(input_text(&in), "a\u00e9\u65e5x\u672cb");
	assert_int_equal(in.cursor, 7);
	input_op(&in, INPUT_HOME);
	assert_int_equal(in.cursor, 0);
	input_op(&in, INPUT_END);
	assert_int_equal(in.cursor, strlen(input_text(&in)));
	input_op(&in, INPUT_RIGHT);
	assert_int_equal(in.cursor, strlen(input_text(&in)));

	assert_int_equal(input_set(&in, "\u00e9t\u00e9", 5), 0);
	assert_int_equal(in.cursor, 5);
	assert_string_equal(input_text(&in), "\u00e9t\u00e9");
	input_free(&in);
	assert_null(in.buf);
}

static void test_backspace_delete(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "\u00e9\u65e5\u672c");
	assert_true(input_op(&in, INPUT_BACKSPACE));
	assert_string_equal(input_text(&in), "\u00e9\u65e5");
	assert_int_equal(in.cursor, 5);
	input_op(&in, INPUT_HOME);
	assert_false(input_op(&in, INPUT_BACKSPACE));
	assert_true(input_op(&in, INPUT_DELETE));
	assert_string_equal(input_text(&in), "\u65e5");
	assert_int_equal(in.cursor, 0);
	assert_true(input_op(&in, INPUT_DELETE));
	assert_string_equal(input_text(&in), "");
	assert_false(input_op(&in, INPUT_DELETE));
	assert_false(input_op(&in, INPUT_BACKSPACE));
	input_free(&in);
}

static void test_kill(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "foo bar  baz");
	assert_true(input_op(&in, INPUT_KILL_WORD));
	assert_string_equal(input_text(&in), "foo bar  ");
	assert_true(input_op(&in, INPUT_KILL_WORD));
	assert_string_equal(input_text(&in), "foo ");
	times(&in, INPUT_LEFT, 2);
	assert_true(input_op(&in, INPUT_KILL_END));
	assert_string_equal(input_text(&in), "fo");
	assert_false(input_op(&in, INPUT_KILL_END));

	input_set(&in, "hello w\u00f6rld", 12);
	times(&in, INPUT_LEFT, 5);
	assert_true(input_op(&in, INPUT_KILL_START));
	assert_string_equal(input_text(&in), "w\u00f6rld");
	assert_int_equal(in.cursor, 0);
	assert_false(input_op(&in, INPUT_KILL_START));
	assert_false(input_op(&in, INPUT_KILL_WORD));

	input_set(&in, "\u65e5\u672c \u8a9e", 10);
	assert_true(input_op(&in, INPUT_KILL_WORD));
	assert_string_equal(input_text(&in), "\u65e5\u672c ");
	assert_true(input_op(&in, INPUT_KILL_WORD));
	assert_string_equal(input_text(&in), "");
	input_free(&in);
}

static void test_cap(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 4, false), 0);
	insert(&in, "abc");
	assert_false(input_insert(&in, "\u00e9", 2, false));
	assert_string_equal(input_text(&in), "abc");
	assert_int_equal(in.cursor, 3);
	insert(&in, "d");
	assert_false(input_insert(&in, "x", 1, false));
	assert_string_equal(input_text(&in), "abcd");
	/* Dropped bytes do not count against the cap. */
	input_op(&in, INPUT_BACKSPACE);
	assert_true(input_insert(&in, "\x01\x02x\n", 4, false));
	assert_string_equal(input_text(&in), "abcx");
	assert_int_equal(input_set(&in, "abcde", 5), -1);
	assert_string_equal(input_text(&in), "abcx");
	assert_int_equal(input_set(&in, "wxyz", 4), 0);
	input_free(&in);
}

static void test_control_dropped(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "a\tb\033[Ac\x7f\xc2\x85" "d\rz"); /* U+0085 is a C1 control */
	/* A tab is a space: dropped, it would join the words around it. */
	assert_string_equal(input_text(&in), "a b[Acdz");
	assert_false(input_insert(&in, "\x01", 1, false));
	assert_false(input_insert(&in, "\n", 1, true));
	assert_string_equal(input_text(&in), "a b[Acdz");
	input_free(&in);
}

static void test_paste_newlines(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "token\n");
	assert_string_equal(input_text(&in), "token");
	input_set(&in, "", 0);
	insert(&in, "abc\r\n");
	assert_string_equal(input_text(&in), "abc");
	input_set(&in, "", 0);
	insert(&in, "x\n\n"); /* one trailing newline is the paste's, the other a control character */
	assert_string_equal(input_text(&in), "x");

	input_set(&in, "", 0);
	assert_true(input_insert(&in, "line1\nline2\n", 12, true));
	assert_string_equal(input_text(&in), "line1\nline2");
	input_set(&in, "", 0);
	assert_true(input_insert(&in, "a\r\nb\r\n", 6, true));
	assert_string_equal(input_text(&in), "a\nb");
	input_free(&in);
}

/* A paste over a masked value takes its place whole, or leaves it as it was. */
static void test_replace(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 8, true), 0);
	insert(&in, "wrong");
	input_op(&in, INPUT_HOME);
	assert_true(input_replace(&in, "right\r\n", 7, false));
	assert_string_equal(input_text(&in), "right");
	assert_int_equal(in.cursor, 5);
	assert_false(input_replace(&in, "too-long-1", 10, false));
	assert_false(input_replace(&in, "\x01\n", 2, false));
	assert_string_equal(input_text(&in), "right");
	assert_true(input_replace(&in, "a\nb\n", 4, true));
	assert_string_equal(input_text(&in), "a\nb");
	assert_true(input_replace(&in, "12345678", 8, false)); /* the cap, not the cap left */
	assert_string_equal(input_text(&in), "12345678");
	input_free(&in);
}

static void test_invalid_utf8(void **state)
{
	/* A lone byte, a cut sequence, an overlong '/', a surrogate, past U+10FFFF, cut at the end. */
	static const char bad[] = "a\xff b\xc3(c\xe6\x97\xa5\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80" "d\xe6\x97";
	struct input in;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	assert_true(input_insert(&in, bad, sizeof(bad) - 1, false));
	assert_string_equal(input_text(&in), "a b(c\u65e5d");
	assert_false(input_insert(&in, "\xff\xfe", 2, false));
	input_free(&in);
}

/*
 * The cursor is inside the cell and on the character it is before; the text is the text
 * from scroll but for the marks: '<' first when the view starts after the text and the
 * cursor is not there, '>' last when the text goes on and the cursor is not there.
 */
static void check_view(struct input *in, int width, const char *text)
{
	char out[256], want[256];
	int col = -1;
	size_t len = strlen(text), n;

	input_view(in, width, &marks, out, sizeof(out), &col);
	n = strlen(out);
	assert_true(col >= 0 && col < width);
	assert_true(in->scroll <= in->cursor);
	assert_true(n == (size_t)width || n == len - in->scroll);
	memcpy(want, text + in->scroll, n);
	want[n] = '\0';
	if (in->scroll > 0 && col > 0)
		want[0] = '<';
	if (in->scroll + n < len && (size_t)col < n - 1)
		want[n - 1] = '>';
	assert_string_equal(out, want);
	if (in->cursor < len)
		assert_int_equal(out[col], text[in->cursor]);
	else
		assert_int_equal((size_t)col, n);
}

static void test_view_scroll(void **state)
{
	static const char text[] = "0123456789abcdefghijABCDEFGHIJklmnopqrst";
	struct input in;
	char out[64];
	int col;

	(void)state;
	assert_int_equal(input_init(&in, 100, false), 0);
	insert(&in, text);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "<mnopqrst"); /* the last column is the cursor's, the first says more */
	assert_int_equal(col, 9);
	input_op(&in, INPUT_HOME);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "012345678>");
	assert_int_equal(col, 0);
	for (int i = 0; i < 40; i++) {
		check_view(&in, 10, text);
		input_op(&in, INPUT_RIGHT);
	}
	for (int i = 0; i < 40; i++) {
		check_view(&in, 10, text);
		input_op(&in, INPUT_LEFT);
	}
	/* Deleting at the end scrolls back rather than leave the cell half empty. */
	input_op(&in, INPUT_END);
	check_view(&in, 10, text);
	times(&in, INPUT_BACKSPACE, 35);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "01234");
	assert_int_equal(col, 5);

	/* A small output buffer truncates, and stays NUL-terminated. */
	input_view(&in, 10, &marks, out, 3, &col);
	assert_string_equal(out, "01");
	input_free(&in);
}

/* A field not being edited shows its start, and marks a text that goes on. */
static void test_view_start(void **state)
{
	struct input in;
	char out[64];

	(void)state;
	assert_int_equal(input_init(&in, 100, false), 0);
	insert(&in, "0123456789abc");
	input_view_start(&in, 10, &marks, out, sizeof(out));
	assert_string_equal(out, "012345678>");
	input_view_start(&in, 13, &marks, out, sizeof(out));
	assert_string_equal(out, "0123456789abc"); /* fits exactly: no mark */
	input_view_start(&in, 12, &marks_utf8, out, sizeof(out));
	assert_string_equal(out, "0123456789a\u2026");
	assert_int_equal(in.scroll, 0);
	input_view_start(&in, 10, &marks, out, 4);
	assert_string_equal(out, "012"); /* a small buffer truncates, NUL-terminated */
	in.masked = true;
	input_view_start(&in, 5, &marks, out, sizeof(out));
	assert_string_equal(out, "****>");
	input_free(&in);
	/* A double-width character that would straddle the mark is left out whole. */
	assert_int_equal(input_init(&in, 100, false), 0);
	insert(&in, "abc\u65e5\u672cxyz");
	input_view_start(&in, 5, &marks, out, sizeof(out));
	assert_string_equal(out, "abc>");
	input_free(&in);
}

static void test_masked_view(void **state)
{
	static const char secret[] = "s3cr3t-T\u00f8ken";
	struct input in;
	char out[256];
	int col;

	(void)state;
	assert_int_equal(input_init(&in, 100, true), 0);
	insert(&in, secret);
	input_view(&in, 20, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "************"); /* one glyph per character: ø is one */
	assert_int_equal(col, 12);
	input_view(&in, 20, &marks_utf8, out, sizeof(out), &col);
	for (size_t i = 0; i < 12; i++)
		assert_memory_equal(out + 3 * i, "\u2022", 3);
	assert_int_equal(strlen(out), 36);
	for (const char *p = secret; *p; p++)
		assert_null(strchr(out, *p));
	input_view(&in, 5, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "<***"); /* cut, as a value not masked is */
	assert_int_equal(col, 4);

	/* A pasted key: its newlines are not shown either. */
	input_set(&in, "", 0);
	assert_true(input_insert(&in, "ab\ncd\n", 6, true));
	input_view(&in, 20, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "*****");
	input_free(&in);
}

static void test_wide(void **state)
{
	/* 日本語日本語: twelve columns in six characters of three bytes. */
	static const char text[] = "\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e";
	struct input in;
	char out[64];
	int col;

	(void)state;
	assert_int_equal(input_init(&in, 64, false), 0);
	insert(&in, "\u65e5\u672c\u8a9eabc");
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "\u65e5\u672c\u8a9eabc");
	assert_int_equal(col, 9);

	/* A mark takes the place of a whole wide character: a half drawn over is blanked by a terminal. */
	input_set(&in, text, strlen(text));
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "< \u65e5\u672c\u8a9e");
	assert_int_equal(col, 8);
	input_op(&in, INPUT_HOME);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "\u65e5\u672c\u8a9e\u65e5>"); /* the fifth would end in the mark's column */
	assert_int_equal(col, 0);
	times(&in, INPUT_RIGHT, 4);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_int_equal(col, 8); /* the fifth character fits whole in the last two columns */
	assert_string_equal(out, "\u65e5\u672c\u8a9e\u65e5\u672c"); /* and no mark over it */
	input_op(&in, INPUT_RIGHT);
	input_view(&in, 10, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "< \u8a9e\u65e5\u672c\u8a9e");
	assert_int_equal(col, 8);
	/* At the end of a text that fits its view but for its first character: no mark after it. */
	input_op(&in, INPUT_END);
	input_view(&in, 11, &marks_utf8, out, sizeof(out), &col);
	assert_string_equal(out, "\u2026 \u8a9e\u65e5\u672c\u8a9e");
	assert_int_equal(col, 10);
	/* A cell too narrow for the character under the cursor shows nothing rather than half. */
	input_view(&in, 1, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "");
	assert_int_equal(col, 0);
	/* A zero-width character under the cursor: its cell is a column still, not the mark's. */
	input_set(&in, "abcdefg\u200bxyz", strlen("abcdefg\u200bxyz"));
	in.cursor = 7;
	input_view(&in, 8, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "abcdefg\u200bx");
	assert_int_equal(col, 7);
	/* The mark before takes a character's column with the combining one after it, which would draw on it. */
	input_set(&in, "abcde\u0301fghijklmnop", strlen("abcde\u0301fghijklmnop"));
	in.cursor = 14; /* on the m */
	in.scroll = 0;
	input_view(&in, 8, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "<ghijklm"); /* the view started on the U+0301: the mark is it and the f */
	assert_int_equal(col, 7);
	in.cursor = 13;
	in.scroll = 0;
	input_view(&in, 8, &marks, out, sizeof(out), &col);
	assert_string_equal(out, "<fghijkl"); /* the e and its U+0301 */
	assert_int_equal(col, 7);
	input_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_move),
		cmocka_unit_test(test_backspace_delete),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_control_dropped),
		cmocka_unit_test(test_paste_newlines),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_view_scroll),
		cmocka_unit_test(test_view_start),
		cmocka_unit_test(test_masked_view),
		cmocka_unit_test(test_wide),
	};

	if (sodium_init() < 0 || !setlocale(LC_CTYPE, "C.UTF-8"))
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
