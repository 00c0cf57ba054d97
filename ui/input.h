/*
 * A one-line text editor's logic, apart from curses so that it can be unit
 * tested. The text is UTF-8 in a secbuf because the same editor holds
 * secrets (tokens, passphrases, pasted private keys).
 */
#ifndef AZ_INPUT_H
#define AZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "secbuf.h"

struct input {
	struct secbuf *buf;
	size_t cursor; /* byte offset, always on a character boundary */
	size_t scroll; /* byte offset of the first visible character */
	bool masked;   /* a secret: shown as one mask glyph per character */
};

/* An empty editor holding at most cap bytes: 0, or -1 (no memory). */
int input_init(struct input *in, size_t cap, bool masked);

/* Wipe and free the text (an editor never initialised, zeroed, is fine). */
void input_free(struct input *in);

/* Replace the text as is, cursor at the end: 0, or -1 when len > cap. */
int input_set(struct input *in, const char *text, size_t len);

/* The text, NUL-terminated. */
const char *input_text(const struct input *in);

enum input_op {
	INPUT_LEFT,
	INPUT_RIGHT,
	INPUT_HOME,
	INPUT_END,
	INPUT_BACKSPACE,
	INPUT_DELETE,
	INPUT_KILL_START, /* ^U: from the start to the cursor */
	INPUT_KILL_END,   /* ^K: from the cursor to the end */
	INPUT_KILL_WORD,  /* ^W: the word before the cursor and the blanks after it */
};

/* Edit or move; true when the text changed. */
bool input_op(struct input *in, enum input_op op);

/*
 * Insert UTF-8 text at the cursor and move the cursor after it. Control
 * characters (below 0x20, 0x7f and the C1 range U+0080..U+009F) are
 * dropped, except "\n" when multiline (a pasted private key); invalid UTF-8
 * is dropped; one trailing "\n" or "\r\n" of the inserted text is dropped
 * (bracketed paste). Returns true when something was inserted: false when it
 * would exceed the cap (then nothing is inserted) or nothing was left.
 */
bool input_insert(struct input *in, const char *utf8, size_t len, bool multiline);

/*
 * Replace the whole text with utf8 kept as input_insert keeps it, cursor at
 * the end (a paste over a masked value, which cannot be seen to edit).
 * false, the text unchanged, when it would exceed the cap or nothing is left.
 */
bool input_replace(struct input *in, const char *utf8, size_t len, bool multiline);

/* Insert one "\n" at the cursor (a key's lines typed one by one). false when full. */
bool input_newline(struct input *in);

/*
 * How a view draws what is not the text: the glyph of a masked character,
 * and the marks of a text that goes on before and after the view, each one
 * column wide.
 */
struct input_marks {
	const char *mask, *before, *after;
};

/*
 * What to draw in a cell `width` columns wide: a NUL-terminated UTF-8 string
 * in out (at most width columns; truncated to fit outlen), the cursor's
 * column in *cursor_col. Adjusts in->scroll so that the cursor is visible.
 * Masked, every character (a newline too) is one mask glyph; otherwise a
 * newline or other control character shows as a space and a character the
 * locale cannot show as "?". Display widths come from wcwidth (the caller
 * sets LC_CTYPE). A text cut by the view says so with the marks, in place of
 * its first or last characters, never of the cursor's; a wide character is
 * never cut in half (a terminal would blank the other half).
 */
void input_view(struct input *in, int width, const struct input_marks *m, char *out, size_t outlen,
                int *cursor_col);

/* The same for a field not being edited: the text from its start whatever the cursor. */
void input_view_start(const struct input *in, int width, const struct input_marks *m, char *out, size_t outlen);

/* The lines of a text (a paste) that hold more than blanks: more than one goes in no one-line field. */
size_t input_lines(const unsigned char *s, size_t len);

#endif
