/*
 * The terminal, /dev/tty through ncursesw: the only global state of the
 * program. It is restored on every exit path: term_stop, exit (atexit),
 * SIGTERM, SIGHUP, SIGINT, SIGQUIT and the fatal signals.
 */
#ifndef AZ_TERM_H
#define AZ_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#include "input.h"
#include "secbuf.h"
#include "store.h"

struct term_opts {
	bool ascii;     /* --ascii: ASCII line drawing and mask */
	int rows, cols; /* the least size the screens need (see term_too_small) */
};

/*
 * Set LC_CTYPE from the environment and take over /dev/tty (never
 * stdin/stdout): raw (Ctrl-C is char 3, Ctrl-Z 26), no echo, keypad,
 * bracketed paste, colours unless NO_COLOR. 0, or -1 with a message.
 */
int term_start(const struct term_opts *o, char *msg, size_t msglen);

/* Give the terminal back. Idempotent; fine when never started. */
void term_stop(void);

/* --ascii, or the locale is not UTF-8. */
bool term_ascii(void);

/* The glyph masking one character of a secret: "•" or "*". */
const char *term_mask(void);

/* The one-column glyph ending a text cut to fit: "…" or ">". */
const char *term_more(void);

/* How an input view draws a masked character and a text cut before or after it. */
const struct input_marks *term_input_marks(void);

enum term_style { TERM_PLAIN, TERM_TITLE, TERM_FOCUS, TERM_ERROR, TERM_OK, TERM_DIM, TERM_KEY };

/* The attributes of a style: colour pairs when colours are on, else bold/reverse/underline/dim. */
attr_t term_style(enum term_style s);

enum term_key {
	TERM_KEY_NONE,  /* timeout or nothing (see term_timeout) */
	TERM_KEY_CHAR,  /* *ch is a character, control characters included (3 = Ctrl-C) */
	TERM_KEY_CODE,  /* *ch is a curses KEY_* code, KEY_RESIZE included (Ctrl-L comes as it) */
	TERM_KEY_PASTE, /* *paste holds the bracketed paste; the caller secbuf_frees it */
};

/*
 * A character the locale cannot read (a byte past ASCII where the locale is
 * not UTF-8), given as a TERM_KEY_CHAR: refused, with a word, not dropped
 * silently with the keys after it. Past Unicode's last code point, as is
 * TERM_CHAR_INVALID: bytes that make no UTF-8 character where it is.
 */
#define TERM_CHAR_FOREIGN 0x110000
#define TERM_CHAR_INVALID 0x110001

/*
 * A TERM_KEY_CODE for a key sent as an escape sequence the terminal type does
 * not define (xterm's F10 under TERM=vt100): dropped whole, and said.
 */
#define TERM_CODE_UNKNOWN (KEY_MAX + 1)

/*
 * A TERM_KEY_CODE for a paste whose start a slow link split right after its
 * Esc, which was taken as Esc alone (Back) before the rest came: the paste is
 * dropped whole, never typed as keys nor put where Back went, and said.
 */
#define TERM_CODE_PASTE_SPLIT (KEY_MAX + 3)
/* What a TERM_CHAR_FOREIGN or TERM_CHAR_INVALID key is told with; NULL for any other key. */
const char *term_char_refused(wint_t ch);

/*
 * After term_getkey gave Esc: did a printable key come with it at once (Alt
 * and a key, or Esc and a key in one read over a slow link)? That key is
 * the next term_getkey gives, unless term_drop_alt drops it.
 */
bool term_esc_alt(void);
void term_drop_alt(void);

/*
 * Wait for one key. A paste comes whole, newlines as "\n", at most 64 KiB
 * and a little (the rest is dropped), in a secbuf; ncurses' own input queue
 * held its bytes on the way (freed, not wiped, at the end). *paste is NULL
 * unless TERM_KEY_PASTE.
 *
 * While the terminal is too small (term_too_small) the keys typed are held,
 * pastes too, up to TERM_HELD_MAX, and each comes as KEY_RESIZE (the notice
 * is drawn again); once it is large enough they come, before any typed after.
 * Ctrl-C, Ctrl-Z, Ctrl-L and resizes come at once; a Ctrl-C drops the keys
 * held (they were typed for what it quits or closes).
 */
enum term_key term_getkey(wint_t *ch, struct secbuf **paste);

/* A paste's most bytes kept: a secret's limit (STORE_VALUE_MAX) plus room for a
 * trailing newline the editor drops; the rest is cut. */
#define TERM_PASTE_MAX (STORE_VALUE_MAX + 16)

/* Is the terminal smaller than term_opts' rows x cols? */
bool term_too_small(void);

#define TERM_HELD_MAX 512

/* Were keys typed while too small dropped (past TERM_HELD_MAX)? Until those held come or go. */
bool term_held_dropped(void);

/*
 * What to do when the terminal hangs up (the SSH session dropped) or on
 * SIGHUP or SIGTERM: term_getkey restores the terminal and calls fn(arg, why)
 * to keep what it can and say so; then the program dies of the signal, or,
 * after a hang-up without one, exits with the status fn returns (5 without
 * fn). A second signal ends the program at once.
 */
void term_on_hangup(int (*fn)(void *arg, const char *why), void *arg);

/* How long term_getkey waits, in ms; -1 (the default) blocks. */
void term_timeout(int ms);

/* Drop the keys typed ahead, the one held back behind an Esc and those held while too small too. */
void term_flush_input(void);

/*
 * Leave the screen and print text as plain lines until a key is pressed, then
 * redraw. The terminal wraps a long line itself, so it copies whole (a public
 * key), and the text stays in the scrollback after the program ends.
 */
void term_show_plain(const char *text);

/*
 * What term_show_plain left is no longer true (the SSH key it showed was
 * replaced or lost with the run): the screen is cleared when the terminal is
 * given back, so no one copies it from there after the program ends.
 */
void term_forget_plain(void);

/* Ctrl-Z: give the terminal back, stop, and take it again and redraw on SIGCONT. */
void term_suspend(void);

#endif
