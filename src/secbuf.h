/*
 * Secret bytes (tokens, passphrases, private keys) in sodium_malloc memory:
 * guarded, mlock'ed where possible, wiped on free. Secrets never go through
 * stdio buffers, cJSON or ordinary malloc; read them with these functions.
 */
#ifndef AZ_SECBUF_H
#define AZ_SECBUF_H

#include <stdbool.h>
#include <stddef.h>

struct secbuf {
	unsigned char *data; /* sodium_malloc'ed, cap + 1 bytes, NUL after len */
	size_t len;
	size_t cap;
};

/* A new empty buffer able to hold cap bytes (NULL when out of memory). */
struct secbuf *secbuf_new(size_t cap);

/* A copy of len bytes (NULL when out of memory). */
struct secbuf *secbuf_dup(const void *data, size_t len);

/* Wipe and free (NULL is fine). */
void secbuf_free(struct secbuf *sb);

/*
 * For a library's malloc'ed memory that may hold a secret (libcurl's request, cJSON's tree of
 * a file with a token in it): free and realloc that wipe what they give back.
 */
void secbuf_wipe_free(void *p);
void *secbuf_wipe_realloc(void *p, size_t n);

/*
 * Is there room to lock need more bytes now (ulimit -l)? sodium_malloc locks what it can and
 * goes on when it cannot: beyond the limit, secrets may be swapped out. Probed with a region
 * locked and given back at once.
 */
bool secbuf_lock_room(size_t need);

/*
 * Read all of fd with read(2) into a new buffer: at most max bytes (more is
 * EFBIG). With trim_newline, one trailing "\n", "\r\n" or "\r" is dropped
 * (files written by echo or editors). Returns NULL with errno set on failure.
 */
struct secbuf *secbuf_read_fd(int fd, size_t max, bool trim_newline);

/* Open path (a link is followed: it is the user's input) and secbuf_read_fd it. */
struct secbuf *secbuf_read_file(const char *path, size_t max, bool trim_newline);

/*
 * Prompt on /dev/tty (never stdin/stdout) and read one line with echo off.
 * On SIGINT, SIGTERM, SIGHUP or SIGQUIT the typed input is discarded, the
 * terminal restored and the signal re-raised with its default action (the
 * process dies). On SIGTSTP (Ctrl-Z) the terminal is restored for the stop,
 * and echo off and the prompt come back on SIGCONT; reading goes on. The
 * newline is not stored. Returns NULL with errno set and the rest of the line
 * discarded (ENXIO: no terminal; ECANCELED: Ctrl-D on an empty line; EFBIG:
 * more than max bytes; EIO, ENOMEM).
 */
struct secbuf *secbuf_read_tty(const char *prompt, size_t max);

/*
 * secbuf_read_tty, but on success echo stays off (signals still restore the
 * terminal) until secbuf_tty_release or the next read: what is typed ahead
 * while the answer is checked (a passphrase's key derivation, a second) is
 * not shown on the screen.
 */
struct secbuf *secbuf_read_tty_held(const char *prompt, size_t max);

/* The terminal as it was before a secbuf_read_tty_held (nothing typed ahead is dropped); no-op when not held. */
void secbuf_tty_release(void);

/* Is there a terminal secbuf_read_tty could ask on? */
bool secbuf_has_tty(void);

/* Constant-time equality of two buffers' contents. */
bool secbuf_equal(const struct secbuf *a, const struct secbuf *b);

#endif
