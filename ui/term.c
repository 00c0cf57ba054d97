#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <curses.h>
#include <sodium.h>

#include "clock.h"
#include "exitcode.h"
#include "fileio.h"
#include "term.h"
#include "term_type.h"
#include "utf8.h"

#define TERM_PASTE_ON "\033[?2004h"
#define TERM_PASTE_OFF "\033[?2004l"
#define TERM_KEY_PASTE_START (KEY_MAX + 1)
#define TERM_KEY_PASTE_END (KEY_MAX + 2)
#define TERM_PASTE_CHUNK 4096
/* The longest gap a slow link puts inside a key's escape sequence. */
#define TERM_SEQ_GAP_MS 300
/* Esc alone, after this long without the rest of a sequence (as vim's ttimeoutlen); $ESCDELAY wins. */
#define TERM_ESC_DELAY_MS 100
/*
 * A paste whose end marker never comes (typed by hand, lost) ends after this quiet time: long
 * enough for a slow link's stall inside a paste, whose rest would else come as typed keys (half
 * a token shown in a plain field until its other half masks it).
 */
#define TERM_PASTE_GAP_MS 5000

static const int term_signals[] = {
	SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
};
#define TERM_NSIGNALS (sizeof(term_signals) / sizeof(term_signals[0]))

static SCREEN *term_screen;
static FILE *term_in, *term_out;
static int term_fd = -1;
static bool term_opt_ascii, term_colours, term_locale_utf8;
static int term_wait = -1;
static long long term_esc_ms; /* when a lone Esc was read: the rest of a split sequence may follow */
/* The key that came in one read with the Esc before it: the next one term_read gives. */
static struct { int r; wint_t c; bool set; } term_next;
static struct sigaction term_old_actions[TERM_NSIGNALS];
/* A stack overflow's SIGSEGV has no stack left to run the handler on: it gets this one. */
static char term_alt_stack[64 * 1024];
static stack_t term_old_alt_stack;

/* What the signal handler needs, ready before it can run: it may only write and tcsetattr. */
static struct termios term_saved;
static char term_restore[512];
static volatile sig_atomic_t term_restore_len;
static volatile sig_atomic_t term_signal_fd = -1;

/* The Esc term_getkey gave came with a printable key at once (Alt and a key); that key is next. */
static bool term_alt;
/* SIGHUP or SIGTERM seen: the next term_getkey ends the program through the hang-up hook. */
static volatile sig_atomic_t term_quit_sig;
/* The text term_show_plain left on the shell's screen is no longer true. */
static bool term_plain_stale;
static int (*term_hangup_fn)(void *, const char *);
static void *term_hangup_arg;
/* The least size of the screens: keys typed on a smaller terminal are held (term_getkey). */
static int term_min_rows, term_min_cols;

/* A key typed while the terminal was too small, as term_getkey gave it. */
struct term_held_key {
	enum term_key k;
	wint_t ch;
	struct secbuf *paste;
	bool alt; /* an Esc with a key at once (term_esc_alt): that key is held next */
};
/* In sodium_malloc memory, wiped when freed: typed blind into a box, the keys may be a passphrase. */
static struct term_held_key *term_held;
static size_t term_held_first, term_held_n;
static bool term_held_lost; /* a key came when no more could be held: dropped */

static void term_on_signal(int sig)
{
	int saved_errno = errno;
	int fd = term_signal_fd;

	/*
	 * The first SIGHUP or SIGTERM ends the program where it can keep what was typed. Another
	 * one meanwhile (a shell passes its hang-up on to its jobs) must not cut that short.
	 */
	if (sig == SIGHUP || sig == SIGTERM) {
		if (!term_quit_sig)
			term_quit_sig = sig;
		errno = saved_errno;
		return;
	}
	if (fd >= 0) {
		ssize_t n = write(fd, term_restore, (size_t)term_restore_len);

		(void)n; /* nothing better to do in a dying process */
		tcsetattr(fd, TCSANOW, &term_saved);
	}
	errno = saved_errno;
	/* As the signal would have: default action, once more. */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

static void term_signals_install(void)
{
	struct sigaction sa;

	/* No SA_RESTART: a read waiting for a key returns, and SIGHUP or SIGTERM is seen at once. */
	stack_t alt = { .ss_sp = term_alt_stack, .ss_size = sizeof(term_alt_stack) };
	bool on_alt = sigaltstack(&alt, &term_old_alt_stack) == 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = term_on_signal;
	sa.sa_flags = on_alt ? SA_ONSTACK : 0;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < TERM_NSIGNALS; i++)
		sigaction(term_signals[i], &sa, &term_old_actions[i]);
}

static void term_signals_restore(void)
{
	term_signal_fd = -1;
	for (size_t i = 0; i < TERM_NSIGNALS; i++)
		sigaction(term_signals[i], &term_old_actions[i], NULL);
	sigaltstack(&term_old_alt_stack, NULL);
}

/* Append s to out (at *len, at most size), without terminfo padding ("$<5>"): nothing waits. */
static void term_cap_add(const char *s, char *out, int *len, int size)
{
	for (; *s; s++) {
		if (s[0] == '$' && s[1] == '<' && strchr(s, '>')) {
			s = strchr(s, '>');
			continue;
		}
		if (*len < size)
			out[(*len)++] = *s;
	}
}

/* Append s to the restore bytes (written from a signal handler). */
static void term_restore_add(const char *s)
{
	int len = term_restore_len;

	term_cap_add(s, term_restore, &len, (int)sizeof(term_restore));
	term_restore_len = len;
}

/* A terminal without an alternate screen (vt100, linux) keeps the page on the shell's screen. */
static bool term_no_alt_screen(void)
{
	const char *rmcup = tigetstr("rmcup");

	return !rmcup || rmcup == (const char *)-1;
}

/*
 * The bytes that undo what the terminal was told: attributes, colours,
 * cursor, keypad, alternate screen, bracketed paste. Not tputs: <term.h>
 * would clash with ui/term.h.
 */
static void term_restore_prepare(void)
{
	/* Without an alternate screen, "clear": a secret shown (F2) must not stay for the shell. */
	static const char *const caps[] = { "sgr0", "op", "cnorm", "rmkx", "rmcup", "clear" };

	term_restore_len = 0;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *s = tigetstr(caps[i]);

		if (s && s != (const char *)-1 && (strcmp(caps[i], "clear") != 0 || term_no_alt_screen()))
			term_restore_add(s);
	}
	term_restore_add(TERM_PASTE_OFF);
}

static void term_write(const char *s)
{
	(void)fileio_write_all(term_fd, s, strlen(s)); /* a terminal gone: nothing to tell */
}

/* A terminfo string capability, without its padding; nothing when the terminal has none. */
static void term_write_cap(const char *name)
{
	const char *s = tigetstr(name);
	char buf[256];
	int len = 0;

	if (!s || s == (const char *)-1)
		return;
	term_cap_add(s, buf, &len, (int)sizeof(buf) - 1);
	buf[len] = '\0';
	term_write(buf);
}

/* One pair per style; the pair number is the style. */
static const struct {
	short fg, bg;
	attr_t colour, mono;
} term_styles[] = {
	[TERM_PLAIN] = { -1, -1, A_NORMAL, A_NORMAL },
	[TERM_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[TERM_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TERM_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TERM_OK] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TERM_DIM] = { -1, -1, A_DIM, A_DIM },
	[TERM_KEY] = { COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
};
#define TERM_NSTYLES ((int)(sizeof(term_styles) / sizeof(term_styles[0])))

/* Colours only where the terminal has them and NO_COLOR (https://no-color.org) is unset or empty. */
static bool term_colours_start(void)
{
	const char *no_color = getenv("NO_COLOR");

	if ((no_color && *no_color) || !has_colors())
		return false;
	if (start_color() == ERR || use_default_colors() == ERR || COLOR_PAIRS < TERM_NSTYLES)
		return false;
	for (int i = 1; i < TERM_NSTYLES; i++)
		init_pair((short)i, term_styles[i].fg, term_styles[i].bg);
	return true;
}

static void term_close_files(void)
{
	if (term_in)
		fclose(term_in);
	if (term_out)
		fclose(term_out);
	else if (term_fd >= 0)
		close(term_fd);
	term_in = term_out = NULL;
	term_fd = -1;
}

/* /dev/tty as two streams: ncurses reads one and writes the other. */
static int term_open(char *msg, size_t msglen)
{
	int in_fd;

	term_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (term_fd < 0 || tcgetattr(term_fd, &term_saved) != 0) {
		snprintf(msg, msglen, "no terminal: /dev/tty: %s", strerror(errno));
		term_close_files();
		return -1;
	}
	term_out = fdopen(term_fd, "w");
	in_fd = term_out ? fcntl(term_fd, F_DUPFD_CLOEXEC, 0) : -1;
	term_in = in_fd >= 0 ? fdopen(in_fd, "r") : NULL;
	if (!term_in) {
		snprintf(msg, msglen, "no terminal: /dev/tty: %s", strerror(errno));
		if (in_fd >= 0)
			close(in_fd);
		term_close_files();
		return -1;
	}
	return 0;
}

/* Drop the keys held (wiped). */
static void term_held_drop(void)
{
	for (size_t i = 0; i < term_held_n; i++)
		secbuf_free(term_held[(term_held_first + i) % TERM_HELD_MAX].paste);
	sodium_free(term_held);
	term_held = NULL;
	term_held_first = term_held_n = 0;
	term_held_lost = false;
}

/* Hold a key; one past TERM_HELD_MAX (or with no memory for them) is dropped, with a beep. */
static void term_hold(enum term_key k, wint_t ch, struct secbuf *paste)
{
	if (!term_held)
		term_held = sodium_allocarray(TERM_HELD_MAX, sizeof(*term_held));
	if (!term_held || term_held_n == TERM_HELD_MAX) {
		secbuf_free(paste);
		term_held_lost = true;
		beep();
		return;
	}
	term_held[(term_held_first + term_held_n++) % TERM_HELD_MAX] =
		(struct term_held_key){ .k = k, .ch = ch, .paste = paste, .alt = term_alt };
	term_alt = false;
}

/* The first key held, out of the queue. */
static enum term_key term_unhold(wint_t *ch, struct secbuf **paste)
{
	struct term_held_key *e = &term_held[term_held_first];
	enum term_key k = e->k;

	*ch = e->ch;
	*paste = e->paste;
	term_alt = e->alt;
	sodium_memzero(e, sizeof(*e));
	term_held_first = (term_held_first + 1) % TERM_HELD_MAX;
	if (--term_held_n == 0)
		term_held_drop();
	return k;
}

int term_start(const struct term_opts *o, char *msg, size_t msglen)
{
	static bool registered;
	const char *name = getenv("TERM");

	if (term_screen)
		return 0;
	setlocale(LC_CTYPE, ""); /* ncursesw reads and writes characters in the locale's encoding */
	term_opt_ascii = o && o->ascii;
	term_min_rows = o ? o->rows : 0;
	term_min_cols = o ? o->cols : 0;
	term_locale_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!name || !*name) {
		snprintf(msg, msglen, "no terminal: TERM is not set (try TERM=xterm)");
		return -1;
	}
	if (term_open(msg, msglen) != 0)
		return -1;
	/* One that cannot place the cursor (TERM=dumb) would show nothing at all. */
	enum term_type type = term_type_judge(name, term_fd);
	if (type != TERM_TYPE_OK) {
		if (type == TERM_TYPE_UNKNOWN)
			snprintf(msg, msglen, "the terminal type '%s' is unknown here (no terminfo entry): try "
			         "TERM=xterm, or use 'new --non-interactive'", name);
		else
			snprintf(msg, msglen, "the terminal type '%s' cannot move the cursor: the wizard needs one "
			         "that can (try TERM=xterm), or use 'new --non-interactive'", name);
		term_close_files();
		return -1;
	}
	/* Before newterm, so that ncurses does not put its own (exiting) handlers there. */
	term_restore_len = 0;
	term_quit_sig = 0;
	term_signal_fd = term_fd;
	term_signals_install();
	/*
	 * The size is the terminal's own, not a LINES or COLUMNS exported by a profile or an old
	 * 'eval $(resize)' (curses takes them over it, through every resize too); they count only
	 * where the terminal knows no size (a serial console saying 0x0). (use_env(FALSE) and
	 * use_tioctl(TRUE) lose the resizes.) No child is started: the environment is ours.
	 */
	struct winsize ws;
	if (ioctl(term_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		unsetenv("LINES");
		unsetenv("COLUMNS");
	}
	term_screen = newterm(NULL, term_out, term_in);
	if (!term_screen) {
		snprintf(msg, msglen, "cannot start the terminal '%s': %s", name, strerror(errno));
		term_signals_restore();
		term_close_files();
		return -1;
	}
	set_term(term_screen);
	term_restore_prepare();
	if (!registered)
		registered = atexit(term_stop) == 0;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	if (!getenv("ESCDELAY"))
		set_escdelay(TERM_ESC_DELAY_MS);
	curs_set(1);
	wtimeout(stdscr, term_wait);
	term_colours = term_colours_start();
	/*
	 * Terminals that ignore keypad mode still send arrows as ESC [ A: known as such too; so are
	 * the function keys of xterm and of PuTTY's default keyboard (ESC [ 11~ for F1), and Shift-Tab
	 * (ESC [ Z), under a terminal type that lacks them (vt100, or xterm's entry for PuTTY).
	 */
	static const struct { const char *seq; int key; } csi[] = {
		{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT },
		{ "\033[D", KEY_LEFT }, { "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[7~", KEY_HOME },
		{ "\033[8~", KEY_END }, { "\033[3~", KEY_DC }, { "\033[5~", KEY_PPAGE },
		{ "\033[6~", KEY_NPAGE }, { "\033OA", KEY_UP },
		{ "\033OB", KEY_DOWN }, { "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
		{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) }, { "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
		{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) }, { "\033[13~", KEY_F(3) },
		{ "\033[14~", KEY_F(4) }, { "\033[15~", KEY_F(5) }, { "\033[21~", KEY_F(10) },
		{ "\033[Z", KEY_BTAB },
	};
	for (size_t i = 0; i < sizeof(csi) / sizeof(csi[0]); i++)
		if (key_defined(csi[i].seq) == 0)
			define_key(csi[i].seq, csi[i].key);
	define_key("\033[200~", TERM_KEY_PASTE_START);
	define_key("\033[201~", TERM_KEY_PASTE_END);
	term_write(TERM_PASTE_ON);
	return 0;
}

void term_stop(void)
{
	if (!term_screen)
		return;
	endwin();
	/* Without an alternate screen (vt100) the page would stay, with what follows written over it. */
	if (term_no_alt_screen() || term_plain_stale)
		term_write_cap("clear");
	term_plain_stale = false;
	term_held_drop();
	term_write(TERM_PASTE_OFF);
	term_signals_restore();
	delscreen(term_screen);
	term_screen = NULL;
	term_colours = false;
	term_close_files();
}

bool term_ascii(void)
{
	return term_opt_ascii || !term_locale_utf8;
}

const char *term_mask(void)
{
	return term_ascii() ? "*" : "\u2022";
}

const char *term_more(void)
{
	return term_ascii() ? ">" : "\u2026";
}

const struct input_marks *term_input_marks(void)
{
	/* In ASCII '>' is also the focus mark: '<' says which end of the text goes on. */
	static const struct input_marks ascii = { "*", "<", ">" }, utf8 = { "\u2022", "\u2026", "\u2026" };

	return term_ascii() ? &ascii : &utf8;
}

attr_t term_style(enum term_style s)
{
	if (term_colours)
		return COLOR_PAIR(s) | term_styles[s].colour;
	/* A terminal without dim (vt100) would show a placeholder as a value typed: underlined there. */
	if (s == TERM_DIM && !(termattrs() & A_DIM))
		return A_UNDERLINE;
	return term_styles[s].mono;
}

/* Append one byte; past the limit, or when memory runs out, the rest is dropped. */
static struct secbuf *term_paste_add(struct secbuf *sb, unsigned char c)
{
	if (sb->len == sb->cap) {
		struct secbuf *bigger;

		if (sb->cap >= TERM_PASTE_MAX)
			return sb;
		bigger = secbuf_new(sb->cap * 2 < TERM_PASTE_MAX ? sb->cap * 2 : TERM_PASTE_MAX);
		if (!bigger)
			return sb;
		memcpy(bigger->data, sb->data, sb->len);
		bigger->len = sb->len;
		secbuf_free(sb);
		sb = bigger;
	}
	sb->data[sb->len++] = c;
	sb->data[sb->len] = '\0';
	return sb;
}

/*
 * After an Esc inside a paste: is it the end marker, which a slow link split past ESCDELAY (curses
 * gave the Esc alone)? If not, the bytes read after it are the paste's: in more (n of them).
 */
static bool term_paste_split_end(int more[5], int *n)
{
	static const char rest[] = "[201~";
	bool end = true;

	*n = 0;
	wtimeout(stdscr, TERM_SEQ_GAP_MS);
	for (int i = 0; rest[i] && end; i++) {
		int c = wgetch(stdscr);

		end = c == rest[i];
		if (c != ERR) /* nothing yet: the paste goes on, waited for as before */
			more[(*n)++] = c;
	}
	wtimeout(stdscr, TERM_PASTE_GAP_MS);
	return end;
}

/*
 * The bytes up to the end marker (wgetch gives bytes, not decoded characters).
 * Terminals send a pasted newline as CR: CR and CR LF become "\n".
 */
static struct secbuf *term_read_paste(void)
{
	struct secbuf *sb = secbuf_new(TERM_PASTE_CHUNK);
	bool after_cr = false;
	int c, more[5], n = 0, at = 0;

	wtimeout(stdscr, TERM_PASTE_GAP_MS);
	for (;;) {
		if (at < n) {
			c = more[at++];
		} else {
			c = wgetch(stdscr);
			/* An Esc alone: the end marker split, or an Esc pasted (its bytes then come next). */
			if (c == 27) {
				at = 0;
				if (term_paste_split_end(more, &n))
					break;
			}
		}
		if (c == ERR || c == TERM_KEY_PASTE_END)
			break;
		if (!sb || c > 0xff)
			continue; /* out of memory, or a key sequence inside the paste */
		if (c == '\n' && after_cr) {
			after_cr = false;
			continue;
		}
		after_cr = c == '\r';
		sb = term_paste_add(sb, c == '\r' ? '\n' : (unsigned char)c);
	}
	wtimeout(stdscr, term_wait);
	return sb;
}

void term_on_hangup(int (*fn)(void *arg, const char *why), void *arg)
{
	term_hangup_fn = fn;
	term_hangup_arg = arg;
}

/* Has the terminal gone (the SSH session dropped): nothing more can be read from it? */
static bool term_gone(void)
{
	struct pollfd p = { .fd = term_in ? fileno(term_in) : -1, .events = POLLIN };

	return p.fd < 0 || (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)));
}

/* The end after a hang-up, SIGHUP or SIGTERM: the hook keeps what it can, then exit. */
static void term_hangup(void)
{
	const char *why = term_quit_sig == SIGTERM ? "stopped by SIGTERM" :
	                  term_quit_sig == SIGHUP ? "the terminal hung up" : "the terminal went away";

	sigset_t quit;

	/*
	 * term_stop gives SIGHUP and SIGTERM their old (default) action back: another one now (a
	 * shell passes its hang-up on) would cut the draft's write short. They wait until it is kept.
	 */
	sigemptyset(&quit);
	sigaddset(&quit, SIGHUP);
	sigaddset(&quit, SIGTERM);
	sigprocmask(SIG_BLOCK, &quit, NULL);
	term_stop();
	int rc = term_hangup_fn ? term_hangup_fn(term_hangup_arg, why) : AZ_EXIT_CANCELLED;
	/* Ended by a signal, the program says so to its parent (a shell's 128 + n) by dying of it. */
	if (term_quit_sig) {
		sigset_t one;

		signal(term_quit_sig, SIG_DFL);
		raise(term_quit_sig);
		sigemptyset(&one);
		sigaddset(&one, term_quit_sig);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
	}
	exit(rc);
}

/*
 * The rest of the UTF-8 character whose first byte is lead: its code point, or
 * TERM_CHAR_INVALID when the bytes make none (a terminal set to Latin-1, line
 * noise). A byte that cannot go on with it is read next as itself.
 */
static wint_t term_read_utf8(int lead)
{
	unsigned char s[4] = { (unsigned char)lead };
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1, n = 1;
	uint32_t cp;

	wtimeout(stdscr, TERM_SEQ_GAP_MS);
	while (n < want) {
		int k = wgetch(stdscr);

		if (k == ERR)
			break;
		if (k < 0x80 || k > 0xBF) {
			ungetch(k);
			break;
		}
		s[n++] = (unsigned char)k;
	}
	wtimeout(stdscr, term_wait);
	return n == want && utf8_decode(s, n, &cp) == n ? (wint_t)cp : TERM_CHAR_INVALID;
}

const char *term_char_refused(wint_t ch)
{
	/* LC_ALL: it wins over LANG and LC_CTYPE, whichever of them named a locale not installed. */
	if (ch == TERM_CHAR_FOREIGN)
		return "only ASCII can be typed here: the locale is not UTF-8 (start with LC_ALL=C.UTF-8 to "
		       "type other characters)";
	if (ch == TERM_CHAR_INVALID)
		return "a character was not taken: the terminal sent bytes that are not UTF-8 (set it to UTF-8, "
		       "in PuTTY: Window > Translation)";
	return NULL;
}

/*
 * The next key: a curses KEY_* code (KEY_CODE_YES) or a character (OK). Bytes
 * are read one at a time, never by wget_wch: after a byte that starts no
 * character it waits for one forever, swallowing every key (Ctrl-C too).
 */
static int term_read(wint_t *c)
{
	if (term_next.set) {
		term_next.set = false;
		*c = term_next.c;
		return term_next.r;
	}
	int k = wgetch(stdscr);

	if (k == ERR)
		return ERR;
	*c = k >= KEY_MIN ? (wint_t)k : k < 0x80 ? (wint_t)k : term_locale_utf8 ? term_read_utf8(k) : TERM_CHAR_FOREIGN;
	return k >= KEY_MIN ? KEY_CODE_YES : OK;
}

/* The next byte, waiting at most ms for it: ERR when none came. */
static int term_pending(wint_t *c, int ms)
{
	wtimeout(stdscr, ms);
	int r = term_read(c);
	wtimeout(stdscr, term_wait);
	return r;
}

/*
 * Drop the rest of a CSI (ESC [) or SS3 (ESC O) sequence curses did not know,
 * up to its last byte, which a slow link may bring a little later (first: the
 * byte after intro when it was read already, else 0). true: it was the start
 * of a paste (ESC [ 200 ~), its marker split so.
 */
static bool term_drop_sequence(wint_t intro, wint_t first)
{
	char params[8];
	size_t n = 0;
	wint_t c = first;

	if (intro == 'O') {
		term_pending(&c, TERM_SEQ_GAP_MS);
		return false;
	}
	while ((c || term_pending(&c, TERM_SEQ_GAP_MS) == OK) && !(c >= 0x40 && c <= 0x7e)) {
		if (n < sizeof(params))
			params[n++] = (char)c;
		c = 0;
	}
	return c == '~' && n == 3 && memcmp(params, "200", 3) == 0;
}

/*
 * Esc alone is Esc (back). ESC [ or ESC O with bytes curses did not know
 * behind it is a sequence missing from the terminfo: dropped whole, never
 * taken as Back and then typed. Any other key right behind an Esc (a letter,
 * another Esc, a key curses decoded) was typed after it and came in the same
 * read over a slow link: Esc, then that key, nothing lost (Alt-x is Esc, x).
 * A sequence a slow link split after its Esc ('[' or 'O' with more bytes
 * right behind it, soon after that Esc) is dropped as well (esc_ms: when the
 * Esc before it came, or 0). TERM_KEY_NONE when dropped. A paste's start
 * marker split so is read as its paste (*paste), or dropped with it when its
 * Esc was given already (TERM_CODE_PASTE_SPLIT).
 */
static enum term_key term_escape(wint_t *ch, long long esc_ms, struct secbuf **paste)
{
	wint_t c;

	if (*ch == 27) {
		int r = term_pending(&c, 0); /* curses waited ESCDELAY already */
		if (r == ERR) {
			term_esc_ms = clock_ms();
			return TERM_KEY_CHAR;
		}
		if (r == OK && (c == '[' || c == 'O')) {
			/* A paste whose start marker the link split: the paste, whole, never typed as keys. */
			if (term_drop_sequence(c, 0)) {
				*paste = term_read_paste();
				return *paste ? TERM_KEY_PASTE : TERM_KEY_NONE;
			}
			*ch = TERM_CODE_UNKNOWN;
			return TERM_KEY_CODE;
		}
		term_next.r = r;
		term_next.c = c;
		term_next.set = true;
		/*
		 * Alt and a key (readline's Alt-b, Alt-Backspace) come so too: the caller may take them as
		 * one key. Not Ctrl-C or Ctrl-Z right after an Esc: those stay what they are.
		 */
		term_alt = (r == OK && (c >= 0x20 || c == '\t' || c == '\r' || c == '\n' || c == 8)) ||
		           (r == KEY_CODE_YES && c == KEY_BACKSPACE);
		return TERM_KEY_CHAR;
	}
	if (esc_ms && clock_ms() - esc_ms < 500 && term_pending(&c, TERM_SEQ_GAP_MS) == OK) {
		if ((c < 0x40 || c > 0x7e) && term_drop_sequence(*ch, c)) {
			/* Its Esc was taken (Back) already: the paste is not put where that went. */
			secbuf_free(term_read_paste());
			*ch = TERM_CODE_PASTE_SPLIT;
			return TERM_KEY_CODE;
		}
		return TERM_KEY_NONE;
	}
	return TERM_KEY_CHAR;
}

bool term_esc_alt(void)
{
	return term_alt;
}

void term_drop_alt(void)
{
	/* The key that came with the Esc: held right after it, or read with it and not given yet. */
	if (term_alt && term_held_n) {
		struct secbuf *p;
		wint_t c;

		term_unhold(&c, &p);
		secbuf_free(p);
	} else if (term_alt) {
		term_next.set = false;
	}
	term_alt = false;
}

/* The next key from the terminal itself. */
static enum term_key term_key(wint_t *ch, struct secbuf **paste)
{
	int r = term_read(ch);

	/* Without this a dropped session would spin here forever: a dead terminal reads as EOF. */
	if (r == ERR && (term_quit_sig || term_gone()))
		term_hangup();
	if (r == ERR)
		return TERM_KEY_NONE;
	/* Only the key right after a lone Esc may be the rest of its sequence. */
	long long esc_ms = term_esc_ms;
	term_esc_ms = 0;
	if (r == OK && (*ch == 27 || *ch == '[' || *ch == 'O'))
		return term_escape(ch, esc_ms, paste);
	/* Ctrl-L paints the whole screen again (a message from wall, line noise), as in vi or less. */
	if (r == OK && *ch == 12) {
		clearok(curscr, TRUE);
		*ch = KEY_RESIZE;
		return TERM_KEY_CODE;
	}
	if (r == OK)
		return TERM_KEY_CHAR;
	if (*ch == TERM_KEY_PASTE_START) {
		*paste = term_read_paste();
		return *paste ? TERM_KEY_PASTE : TERM_KEY_NONE;
	}
	/* An end marker without a start is noise. */
	return *ch == TERM_KEY_PASTE_END ? TERM_KEY_NONE : TERM_KEY_CODE;
}

enum term_key term_getkey(wint_t *ch, struct secbuf **paste)
{
	term_alt = false;
	*paste = NULL;
	if (term_quit_sig)
		term_hangup();
	if (term_held_n && !term_too_small())
		return term_unhold(ch, paste);
	enum term_key k = term_key(ch, paste);
	if (k == TERM_KEY_CHAR && *ch == 3)
		term_held_drop();
	/* What the notice of a terminal too small answers at once: Ctrl-C, Ctrl-Z, a redraw. */
	if (!term_too_small() || k == TERM_KEY_NONE || (k == TERM_KEY_CODE && *ch == KEY_RESIZE) ||
	    (k == TERM_KEY_CHAR && (*ch == 3 || *ch == 26)))
		return k;
	term_hold(k, *ch, *paste);
	*paste = NULL;
	*ch = KEY_RESIZE;
	return TERM_KEY_CODE;
}

bool term_too_small(void)
{
	return LINES < term_min_rows || COLS < term_min_cols;
}

bool term_held_dropped(void)
{
	return term_held_lost;
}

void term_timeout(int ms)
{
	term_wait = ms;
	if (term_screen)
		wtimeout(stdscr, ms);
}

/* The terminal as the shell had it, for a while (term_take_back ends the while). */
static void term_give_back(void)
{
	def_prog_mode();
	endwin();
	term_write(TERM_PASTE_OFF);
}

static void term_take_back(void)
{
	reset_prog_mode();
	term_write(TERM_PASTE_ON);
}

void term_flush_input(void)
{
	flushinp();
	term_next.set = false;
	term_held_drop();
}

/* Stop the job (Ctrl-Z) until the shell resumes it. ncurses may have its own SIGTSTP handler: for real. */
static void term_stop_job(void)
{
	struct sigaction dfl, old;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &dfl, &old);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &old, NULL);
}

void term_show_plain(const char *text)
{
	struct termios shell, keys;
	struct pollfd more = { .fd = term_fd, .events = POLLIN };
	char c;

	if (!term_screen)
		return;
	/* Keys typed while the key was being made must not dismiss the screen before it is read. */
	term_flush_input();
	term_give_back();
	tcflush(term_fd, TCIFLUSH);
	/* Any one key goes back; ^C is such a key here, not a signal that would lose the wizard. */
	bool set = tcgetattr(term_fd, &shell) == 0;
	if (set) {
		keys = shell;
		keys.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
		keys.c_cc[VMIN] = 1;
		keys.c_cc[VTIME] = 0;
		set = tcsetattr(term_fd, TCSANOW, &keys) == 0;
	}
	/* A clean screen: a key shown before (F3 again) must not be copied by mistake. */
	term_write_cap("clear");
	term_write(text);
	term_plain_stale = false;
	if (set) {
		/* A key, or SIGHUP or SIGTERM (also one come while the key was made): whichever is first. */
		while (!term_quit_sig) {
			int r = poll(&more, 1, 250); /* (the flag looked at again, a signal come just before) */
			if (r < 0 && errno != EINTR)
				break;
			if (r <= 0)
				continue;
			if (more.revents & (POLLHUP | POLLERR | POLLNVAL))
				break;
			ssize_t n = read(term_fd, &c, 1);
			/* Ctrl-Z suspends here too, as everywhere in the wizard; the text shows again after. */
			if (n == 1 && c == 26) {
				tcsetattr(term_fd, TCSANOW, &shell);
				term_stop_job();
				if (tcsetattr(term_fd, TCSANOW, &keys) != 0)
					break;
				term_write_cap("clear");
				term_write(text);
				continue;
			}
			if (n >= 0 || errno != EINTR)
				break;
		}
		/* The rest of that key (an arrow's ESC [ A) is not for the wizard. */
		while (poll(&more, 1, 50) > 0 && read(term_fd, &c, 1) > 0)
			;
		tcsetattr(term_fd, TCSANOW, &shell);
	}
	term_take_back();
	clearok(curscr, TRUE);
	refresh();
}

void term_forget_plain(void)
{
	term_plain_stale = true;
}

void term_suspend(void)
{
	if (!term_screen)
		return;
	term_give_back();
	/* As when it ends: the page (a secret shown with F2) is not left for the shell. */
	if (term_no_alt_screen())
		term_write_cap("clear");
	term_stop_job();
	term_take_back();
	clearok(curscr, TRUE);
	refresh();
}
