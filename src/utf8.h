/* Just enough UTF-8 to count characters and quote one in a message. */
#ifndef AZ_UTF8_H
#define AZ_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The length of the valid UTF-8 character at s (at most avail bytes) and its
 * code point, or 0 when s starts no valid character (overlong forms,
 * surrogates and code points past U+10FFFF included).
 */
size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);

/* Bytes of the character at p (1 for a byte that starts no valid sequence). */
size_t utf8_char_len(const char *p);

/* The first byte of s that starts no valid character, or NULL: s is UTF-8. */
const char *utf8_first_invalid(const char *s);

/*
 * Make s valid UTF-8 in place, as JSON must be: a byte that starts no valid
 * character becomes '?'; a character cut short at the end (a message cut to
 * its buffer) is dropped.
 */
void utf8_scrub(char *s);

/* Bytes of the control character at p (C0 and DEL: 1; C1, U+0080..U+009F: 2), or 0: none starts there. */
size_t utf8_control_len(const char *p);

/* Does s hold a control character (utf8_control_len), a newline or a tab included? */
bool utf8_has_control(const char *s);

/*
 * utf8_scrub, then each control character but a newline and a tab (C0, DEL,
 * and C1 as U+0080..U+009F) becomes '?': text from a file or a server, printed
 * on a terminal, can then never drive it (clear the screen, set its title).
 */
void utf8_defang(char *s);

/* utf8_defang, a newline as '?' too: text said as one line of a message (one line per error). */
void utf8_defang_line(char *s);

/* Characters in s, an invalid byte counting as one. */
size_t utf8_count(const char *s);

/*
 * The character at p as a person would name it in a message: 'x', 'ü', or
 * "a space", "a tab", "a control character (0x0A)", "a byte that is not
 * UTF-8 (0xFF)". Returns buf.
 */
const char *utf8_describe(const char *p, char *buf, size_t buflen);

#endif
