#include <config.h>

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include <sodium.h>

#include "input.h"
#include "utf8.h"

/* Text set with input_set may hold invalid bytes: each is then a character. */
static size_t input_next(const struct input *in, size_t pos)
{
	uint32_t cp;
	size_t n = utf8_decode(in->buf->data + pos, in->buf->len - pos, &cp);

	return pos + (n ? n : 1);
}

static size_t input_prev(const struct input *in, size_t pos)
{
	const unsigned char *d = in->buf->data;
	size_t q = pos - 1;

	while (q > 0 && pos - q < 4 && (d[q] & 0xc0) == 0x80)
		q--;
	/* Continuation bytes that do not end a valid character are characters of their own. */
	return input_next(in, q) == pos ? q : pos - 1;
}

int input_init(struct input *in, size_t cap, bool masked)
{
	memset(in, 0, sizeof(*in));
	in->masked = masked;
	in->buf = secbuf_new(cap);
	return in->buf ? 0 : -1;
}

void input_free(struct input *in)
{
	secbuf_free(in->buf);
	memset(in, 0, sizeof(*in));
}

int input_set(struct input *in, const char *text, size_t len)
{
	struct secbuf *b = in->buf;

	if (len > b->cap)
		return -1;
	memcpy(b->data, text, len);
	/* Wipe what is left of a longer previous value. */
	if (b->len > len)
		sodium_memzero(b->data + len, b->len - len);
	b->data[len] = '\0';
	b->len = len;
	in->cursor = len;
	in->scroll = 0;
	return 0;
}

const char *input_text(const struct input *in)
{
	return (const char *)in->buf->data;
}

/* Remove bytes [from, to), wiping the freed tail, and put the cursor at from. */
static bool input_remove(struct input *in, size_t from, size_t to)
{
	struct secbuf *b = in->buf;

	if (from >= to)
		return false;
	memmove(b->data + from, b->data + to, b->len - to + 1);
	b->len -= to - from;
	sodium_memzero(b->data + b->len + 1, to - from);
	in->cursor = from;
	return true;
}

static bool input_blank(const struct input *in, size_t pos)
{
	unsigned char c = in->buf->data[pos];

	return c == ' ' || c == '\t' || c == '\n';
}

static bool input_kill_word(struct input *in)
{
	size_t p = in->cursor;

	while (p > 0 && input_blank(in, input_prev(in, p)))
		p = input_prev(in, p);
	while (p > 0 && !input_blank(in, input_prev(in, p)))
		p = input_prev(in, p);
	return input_remove(in, p, in->cursor);
}

bool input_op(struct input *in, enum input_op op)
{
	size_t len = in->buf->len;

	switch (op) {
	case INPUT_LEFT:
		if (in->cursor > 0)
			in->cursor = input_prev(in, in->cursor);
		return false;
	case INPUT_RIGHT:
		if (in->cursor < len)
			in->cursor = input_next(in, in->cursor);
		return false;
	case INPUT_HOME:
		in->cursor = 0;
		return false;
	case INPUT_END:
		in->cursor = len;
		return false;
	case INPUT_BACKSPACE:
		return in->cursor > 0 && input_remove(in, input_prev(in, in->cursor), in->cursor);
	case INPUT_DELETE:
		return in->cursor < len && input_remove(in, in->cursor, input_next(in, in->cursor));
	case INPUT_KILL_START:
		return input_remove(in, 0, in->cursor);
	case INPUT_KILL_END:
		return input_remove(in, in->cursor, len);
	case INPUT_KILL_WORD:
		return input_kill_word(in);
	}
	return false;
}

static bool input_keep(uint32_t cp, bool multiline)
{
	if (cp == '\n')
		return multiline;
	return cp == '\t' || (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f));
}

/*
 * The bytes of s that input_insert keeps: counted, and copied to dst unless NULL. A tab (from a
 * paste) is a space: dropped, it would join the words on each side of it.
 */
static size_t input_filter(const unsigned char *s, size_t len, bool multiline, unsigned char *dst)
{
	size_t kept = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {
			i++;
			continue;
		}
		if (input_keep(cp, multiline)) {
			if (dst)
				memcpy(dst + kept, cp == '\t' ? (const unsigned char *)" " : s + i, n);
			kept += n;
		}
		i += n;
	}
	return kept;
}

/* Insert the kept bytes of s at the cursor. */
static bool input_put(struct input *in, const unsigned char *s, size_t len, bool multiline)
{
	struct secbuf *b = in->buf;
	size_t n;

	/* Counted first so that the text is filtered straight into the secret buffer. */
	n = input_filter(s, len, multiline, NULL);
	if (n == 0 || n > b->cap - b->len)
		return false;
	memmove(b->data + in->cursor + n, b->data + in->cursor, b->len - in->cursor + 1);
	input_filter(s, len, multiline, b->data + in->cursor);
	b->len += n;
	in->cursor += n;
	return true;
}

/* The length of s without its one trailing "\n" or "\r\n" (the end of a pasted line). */
static size_t input_line_end(const unsigned char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\n') {
		len--;
		if (len > 0 && s[len - 1] == '\r')
			len--;
	}
	return len;
}

bool input_insert(struct input *in, const char *utf8, size_t len, bool multiline)
{
	const unsigned char *s = (const unsigned char *)utf8;

	return input_put(in, s, input_line_end(s, len), multiline);
}

bool input_replace(struct input *in, const char *utf8, size_t len, bool multiline)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n;

	len = input_line_end(s, len);
	/* Checked before the old text goes: a value that cannot be taken leaves it as it was. */
	n = input_filter(s, len, multiline, NULL);
	if (n == 0 || n > in->buf->cap)
		return false;
	input_set(in, "", 0);
	return input_put(in, s, len, multiline);
}

bool input_newline(struct input *in)
{
	return input_put(in, (const unsigned char *)"\n", 1, true);
}

struct input_glyph {
	const char *s;
	size_t n;
	int width;
};

/* How the character at pos is drawn; the mask is one column wide. */
static struct input_glyph input_glyph(const struct input *in, size_t pos, const char *mask)
{
	struct input_glyph g = { mask, strlen(mask), 1 };
	size_t end = input_next(in, pos);
	mbstate_t st;
	wchar_t wc;
	size_t r;

	if (in->masked)
		return g;
	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, (const char *)in->buf->data + pos, end - pos, &st);
	if (r != end - pos) {
		g.s = r == 0 ? " " : "?"; /* a NUL byte, or a character the locale cannot show */
		g.n = 1;
		return g;
	}
	g.width = wcwidth(wc);
	if (g.width < 0) {
		g.s = " ";
		g.n = 1;
		g.width = 1;
		return g;
	}
	g.s = (const char *)in->buf->data + pos;
	g.n = end - pos;
	return g;
}

/* Move scroll forward until the cursor and the character under it fit. */
static void input_scroll_to_cursor(struct input *in, int width, const char *mask)
{
	int cell = 1, used = 0;
	size_t p = in->cursor;

	if (in->scroll > in->cursor)
		in->scroll = in->cursor;
	if (in->cursor < in->buf->len && input_glyph(in, in->cursor, mask).width > 1)
		cell = 2; /* a wide character under the cursor is shown whole */
	while (p > in->scroll) {
		size_t q = input_prev(in, p);
		int w = input_glyph(in, q, mask).width;

		if (used + w > width - cell)
			break;
		used += w;
		p = q;
	}
	in->scroll = p;
}

/* Move scroll back while the whole rest of the text still fits, so no width is wasted. */
static void input_scroll_fill(struct input *in, int width, const char *mask)
{
	int used = 1; /* the cursor's cell after the end */
	size_t p = in->buf->len;

	while (p > 0) {
		size_t q = input_prev(in, p);
		int w = input_glyph(in, q, mask).width;

		if (used + w > width)
			break;
		used += w;
		p = q;
	}
	if (p < in->scroll)
		in->scroll = p;
}

/* The text a view draws, as it is built. */
struct input_out {
	char *s;
	size_t n, cap;
	int col;
};

/* Append n bytes drawn width columns wide: false, nothing appended, when they do not fit cap. */
static bool input_out_put(struct input_out *o, const char *s, size_t n, int width)
{
	if (o->n + n >= o->cap)
		return false;
	memcpy(o->s + o->n, s, n);
	o->n += n;
	o->s[o->n] = '\0';
	o->col += width;
	return true;
}

/* Append the characters from p while they fit in limit columns: where they stopped. */
static size_t input_fill(const struct input *in, size_t p, int limit, const char *mask, struct input_out *o)
{
	for (; p < in->buf->len; p = input_next(in, p)) {
		struct input_glyph g = input_glyph(in, p, mask);

		if (o->col + g.width > limit || !input_out_put(o, g.s, g.n, g.width))
			break;
	}
	return p;
}

/*
 * Fill the view from p; when the text goes on past width, its last column is
 * the mark instead, with no character cut in half (a wide one is left out
 * whole), unless keep (the cursor's column and cell) reaches that column.
 */
static void input_fill_cut(const struct input *in, size_t p, int width, int keep, const struct input_marks *m,
                           struct input_out *o)
{
	size_t n = o->n;
	int col = o->col;

	if (input_fill(in, p, width, m->mask, o) == in->buf->len || keep > width - 1)
		return;
	o->n = n;
	o->col = col;
	o->s[n] = '\0';
	input_fill(in, p, width - 1, m->mask, o);
	input_out_put(o, m->after, strlen(m->after), 1);
}

void input_view(struct input *in, int width, const struct input_marks *m, char *out, size_t outlen,
                int *cursor_col)
{
	struct input_out o = { out, 0, outlen, 0 };
	size_t p;

	*cursor_col = 0;
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (width <= 0)
		return;
	input_scroll_to_cursor(in, width, m->mask);
	input_scroll_fill(in, width, m->mask);
	for (p = in->scroll; p < in->cursor; p = input_next(in, p))
		*cursor_col += input_glyph(in, p, m->mask).width;
	/* The cursor's cell: one column at least (at the end, or on a combining character). */
	int cell = in->cursor < in->buf->len ? input_glyph(in, in->cursor, m->mask).width : 1;
	if (cell < 1)
		cell = 1;
	p = in->scroll;
	/*
	 * Text before the view: the mark in place of its first character that takes a column, with
	 * the combining ones around it (they would draw on the mark), unless the cursor is among them.
	 */
	if (p > 0 && in->cursor > p) {
		size_t q = p;
		int cols = 0;

		while (q < in->cursor && cols == 0) {
			cols = input_glyph(in, q, m->mask).width;
			q = input_next(in, q);
		}
		while (q < in->cursor && input_glyph(in, q, m->mask).width == 0)
			q = input_next(in, q);
		if (cols > 0 && input_out_put(&o, m->before, strlen(m->before), 1)) {
			for (int i = 1; i < cols; i++)
				input_out_put(&o, " ", 1, 1);
			p = q;
		}
	}
	input_fill_cut(in, p, width, *cursor_col + cell, m, &o);
	/* A small out: the cursor after what it holds. */
	if (*cursor_col > o.col)
		*cursor_col = o.col;
}

void input_view_start(const struct input *in, int width, const struct input_marks *m, char *out, size_t outlen)
{
	struct input_out o = { out, 0, outlen, 0 };

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (width > 0)
		input_fill_cut(in, 0, width, 0, m, &o);
}

size_t input_lines(const unsigned char *s, size_t len)
{
	size_t lines = 0;
	bool blank = true;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '\n') {
			lines += !blank;
			blank = true;
		} else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
			blank = false;
		}
	}
	return lines;
}
