/*
 * The wizard's state, shared by its modules: wizard.c (the flow), dialog.c
 * and the pages page_form.c, page_review.c, page_check.c. Everything it
 * decides goes through the core (fields.h, newconn.h).
 */
#ifndef AZ_WIZARD_INT_H
#define AZ_WIZARD_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <wchar.h>

#include <curses.h>

#include "check.h"
#include "cli.h"
#include "connector_file.h"
#include "fields.h"
#include "input.h"
#include "newconn.h"
#include "wizard.h"

/* The pages: the four of the field table (enum field_page), then these. */
enum wizard_page {
	WIZARD_REVIEW = FIELD_PAGE_COUNT,
	WIZARD_CHECK,
	WIZARD_PAGES
};

/* One line a person can focus on a form page: a field's value, or a secret's store id. */
struct wizard_item {
	enum field_id id;
	bool sid;
};

/* The bytes of the sum that tells the draft this run wrote from another run's. */
#define WIZARD_DRAFT_SUM 16
/* The longest text a field takes (a path: a key file's). */
#define WIZARD_TEXT_MAX 4096
/* The size the pages need: on a smaller terminal a notice shows instead, and the keys typed wait (term_getkey). */
#define WIZARD_COLS 80
#define WIZARD_ROWS 24

/* Where the connection test page stands. */
/*
 * Typed text refused as it comes (a character the locale cannot give, text on a
 * choice): the status saying so stays while the typing goes on, and a Space in
 * text typed on a choice is part of the text, not a change of the choice.
 */
enum wizard_refusing { REFUSING_NONE, REFUSING_FOREIGN, REFUSING_ON_CHOICE };

enum wizard_test { TEST_IDLE, TEST_RUNNING, TEST_PASSED, TEST_FAILED, TEST_ERRORS, TEST_SAVING, TEST_SAVED };

struct wizard {
	struct cli_ctx *ctx;
	struct newconn_start *start;
	struct connector *c;            /* the values as typed (a secret field: its store id if typed) */
	struct input in[FIELD_COUNT];   /* the text of each field; a secret field's value */
	struct input sid[FIELD_COUNT];  /* a secret field's store id as typed ("": the default) */
	bool touched[FIELD_COUNT];      /* left, pasted into or paused on: its message shows */
	bool lost[FIELD_COUNT];         /* a secret's value lost a character typed (refused): not what was typed */
	bool typing;                    /* the focused field was edited and is not touched yet */
	enum wizard_refusing refusing;  /* typed text being refused: its word stays until a pause */
	bool tried[FIELD_PAGE_COUNT];   /* Next was pressed: every message of the page shows */
	bool ident_typed;               /* the identifier no longer follows the name */
	bool show_secrets;              /* F2 */
	char key_msg[FIELD_MSG_MAX];    /* what is wrong with the SSH key ("": fine) */
	bool key_stale;                 /* the key or its passphrase changed since key_msg was made */
	bool key_msg_pass;              /* key_msg is about the passphrase: it shows under that field */
	bool key_plain;                 /* ... and the key given opens without a passphrase */
	char pub_path[384];             /* the public key of a key made here, or "" */
	char *pub_was;                  /* what that file held before F3 wrote it (a saved key's), or NULL */
	unsigned char pub_of[32];       /* BLAKE2b of that private key, to tell when it is replaced */
	char pub_id[384];               /* a key made here: its public key's "SHA256:... comment", or "" */
	int page;                       /* enum field_page or enum wizard_page */
	int focus, scroll;              /* form pages: the focused item; the first row shown */
	struct wizard_item left[FIELD_PAGE_COUNT]; /* the item each form page was left at, to come back to */
	bool left_set[FIELD_PAGE_COUNT];
	bool below;                     /* the review: more lines below the screen */
	int page_next, page_prev;       /* the review: where PgDn and PgUp scroll to (lines, by rows) */
	struct fields_env env;
	char program[CLI_PROGRAM_MAX];  /* env.program: with this run's --home */
	char status[512];               /* the bottom line: the last message (an error's style) */
	char failure[512];              /* the test page: why nothing was saved when no field is to blame */
	char busy[64];                  /* what is under way, shown plainly while status is empty */
	char ask_note[512];             /* the note said with a passphrase's prompt (a new store's), and */
	char ask_note_for[64];          /* ... that prompt: asked again after a slip, the note shows again */
	FILE *err;                      /* the caller's ctx->err, for after the terminal */
	FILE *errf;                     /* ctx->err while the terminal is ours */
	char *errbuf;
	size_t errlen, errshown;
	bool dirty;                     /* something was typed: Ctrl-C asks first */
	bool undrafted;                 /* typed since the draft was last written */
	char *draft;                    /* its file: the new connector's, or this edit's */
	bool draft_ours;                /* this run wrote the draft, or took it up */
	struct connector_draft_at draft_at; /* the page and focus the draft written last holds */
	int draft_lock;                 /* held for the run: no other wizard writes this draft */
	long draft_held_by;             /* ... else the pid of the run that holds it (0: none, -1: unknown) */
	bool draft_off;                 /* a draft there, not offered, is in this run's way: none kept (never over it) */
	unsigned char draft_sum[WIZARD_DRAFT_SUM]; /* ... and what it held then */
	bool quit;
	int rc;
	/* The connection test. */
	enum wizard_test check;
	struct store *store;
	struct check_result res[CHECK_MAX_PROBES];
	size_t nres;
	long long test_start_ms;        /* clock_ms() when the probes started */
	char accept_fp[128];            /* a host key the user accepted for this run */
	char ca_file[1024];             /* a CA file given on the test page (C), or "" */
	struct connector *cc;           /* what is checked and saved: the values completed */
	struct connector *rebased;      /* an edit's base read again after another run saved it, or NULL */
	struct newconn_secrets s;       /* and the secret values */
	struct newconn_errors errs;
	char done[2048];                /* printed after the terminal is given back */
};

/* The items of a form page as things stand (fields that apply, in table order). */
size_t wizard_items(const struct wizard *w, enum field_page page, struct wizard_item items[FIELD_COUNT * 2]);

/* The value of a choice or toggle: as chosen, else its default (static or derived). */
const char *wizard_choice_value(const struct wizard *w, enum field_id id, char *buf, size_t buflen);

/* What is wrong with an item now ("" when fine); shown only once touched or tried. */
bool wizard_item_msg(struct wizard *w, struct wizard_item it, char *msg, size_t msglen);

/* Does the API token share the HTTP token's secret (nothing typed for it, and HTTP)? */
bool wizard_api_shared(const struct wizard *w, enum field_id id);

/*
 * A URL holding a password, or a user that may be a token: in the URL field, or pasted as a URL
 * into another (a test repository). Never shown unless F2, never kept in the draft.
 */
bool wizard_url_credentials(enum field_id id, const char *v);

/* The file named by v (a key file, a CA file), "~/" as $HOME, into path; false ("") when it does not fit. */
bool wizard_home_path(const char *v, char *path, size_t pathlen);

/* Is the value of field id the path of a key file (the SSH key given by its file, not pasted)? */
bool wizard_key_file(const struct wizard *w, enum field_id id);

/* Is that file name one to show: a path (from /, ~/, ./, ../) or a file there? Else it is masked. */
bool wizard_key_path_shown(const struct wizard *w, enum field_id id);
/* Is v typed as a path: from /, ~/, ./ or ../ (a file name alone, or a token, is not)? */
bool wizard_path_typed(const char *v);
/*
 * Tab in a path: in completed as a shell does (pathcomp_complete), as far as the names that
 * match share; when nothing is added, msg says why, or lists the names when several match.
 * Returns how many match, or -1 (the folder cannot be read).
 */
int wizard_complete_path(struct input *in, char *msg, size_t msglen);

/* The store id a secret field will have: as typed, else the one it gets by default. */
const char *wizard_secret_id(const struct wizard *w, enum field_id id, char *buf, size_t buflen);

/* The text of a field changed: into the model, and what follows from it (identifier, ids). */
void wizard_changed(struct wizard *w, enum field_id id);

/* Is every item of the page fine? When not, *first is the first that is not. */
bool wizard_page_ok(struct wizard *w, enum field_page page, int *first);

/* Go to a page (form pages: focus the first item); the draft is kept on the way. */
void wizard_goto(struct wizard *w, int page);

/*
 * Never past a page with something to fix: the first form page before page
 * (F10: the review; a resumed draft: its page) that has, all its messages
 * shown from now on and said in the status, *first its first item to fix;
 * else page.
 */
int wizard_page_to_fix(struct wizard *w, int page, int *first);

/* Messages the core wrote to ctx->err since the last call: the last line into w->status. */
void wizard_take_messages(struct wizard *w);

/* Is v (~/ for the home folder) the name of a file? */
bool wizard_is_file(const char *v);

/*
 * Does v, as a shell reads it (a path copied from a command line, its quotes or '\' escapes gone),
 * name a file? That name into out, and in *quotes (when given) whether quotes were its quoting.
 */
bool wizard_unquoted_file(const char *v, char *out, size_t outlen, bool *quotes);

/* The help text of an item: its field's, or what a store id is. */
const char *wizard_item_help(const struct wizard *w, struct wizard_item it);

/* Is the SSH key the one F3 made (whose public key is at pub_path)? */
bool wizard_key_made_here(const struct wizard *w);

/*
 * The key made with F3 is not the connector's any more: its public key file
 * (or, when it held a saved key's before, that one again) and the plain screen
 * that showed it would only mislead. True when the file was there to remove.
 */
bool wizard_drop_made_key(struct wizard *w);

/*
 * The key made with F3 is about to go (how: the question's start): asked first, as its public
 * key may be in Azure DevOps already. False, and said, when it is to stay.
 */
bool wizard_made_key_may_go(struct wizard *w, const char *question);

/* BLAKE2b of the SSH key's value as typed, pasted or made (to know it again). */
void wizard_key_hash(const struct wizard *w, unsigned char out[32]);

/*
 * Check the SSH key (file, format, passphrase) into w->key_msg when it changed
 * since: on leaving a field, after a paste, a pause, Next. Not at each key: an
 * encrypted key costs a key derivation (a third of a second) to open.
 */
void wizard_key_refresh(struct wizard *w);

/* The notice of a terminal too small: the sizes, what it would show, and what Ctrl-C does there (a sentence). */
void wizard_small_notice(const char *see, const char *ctrl_c);

/* Draw the page: false when the terminal is too small and only a notice saying so shows. */
bool wizard_draw(struct wizard *w);

/* The value of a secret field as typed, pasted or read from the key file: NULL when none. */
struct secbuf *wizard_secret_value(struct wizard *w, enum field_id id, char *msg, size_t msglen);

/*
 * Keep the non-secret values in the draft (DESIGN.md §3), when something was
 * typed: true when the draft holds them now (written, or still as written).
 */
bool wizard_draft_save(struct wizard *w);

/*
 * An edit whose connector another run saved since it was read: the values saved now are taken
 * where this edit changed nothing, its own changes kept over them (the fields both changed,
 * this edit's value kept, named in both); the next save and the draft build on what is saved
 * now. false when the connector is as read (or cannot be read).
 */
bool wizard_rebase(struct wizard *w, char *both, size_t bothlen);

/* Does this run keep a draft (not a dry run, nor one another run's draft is in the way of)? */
bool wizard_draft_kept(const struct wizard *w);

/* Has it values to keep in one: more than secrets (never kept), an edit's saved values, defaults? */
bool wizard_draft_has_values(struct wizard *w);

/* Remove the draft, if it is still the one this run wrote or took up (saved, or nothing to keep). */
void wizard_draft_drop(struct wizard *w);

/*
 * Take the draft's lock for the run: a second wizard on the same draft (started while a
 * dropped SSH session's one lingers) keeps no draft and says which run holds it.
 */
void wizard_draft_lock(struct wizard *w);

/* A draft left by a run that did not finish: offer to go on from it. */
void wizard_draft_resume(struct wizard *w);

/* Is the identifier one of its own, not the one the name gives (which follows the name)? */
bool wizard_ident_own(const struct wizard *w);

/* An identifier left empty takes the one the name gives again, and follows the name (not in an edit). */
void wizard_ident_refill(struct wizard *w);

/* The editor of the value the model holds: the text, or a secret's store id. */
struct input *wizard_model_input(struct wizard *w, enum field_id id);

/* That editor showing v (NULL: empty), a list as one types it ("a, b"); 0, or -1 out of memory. */
int wizard_model_show(struct wizard *w, enum field_id id, const char *v);

/* The shared frame: title, steps, status and key hints. Returns the first and last usable rows. */
void wizard_frame(struct wizard *w, const char *keys, int *top, int *bottom);

/*
 * An editing key (typing, Backspace, Delete, arrows, Home/End, ^A ^E ^U ^K
 * ^W) or a paste (its newlines kept only when multiline) on an editor: -1
 * when it is none of these, else 1 when the text changed and 0 when not.
 */
int wizard_edit_key(struct input *in, int type, wint_t ch, const struct secbuf *paste, bool multiline);

/*
 * Word-wrapped text ("\n" breaks a line; a line's leading spaces indent its rows after the
 * first) in width columns from (y, x), at most max_rows: rows used. A text that goes on past
 * max_rows ends with term_more() after its last row's words.
 */
int wizard_wrap(int y, int x, int width, int max_rows, const char *text, attr_t attr);

/* Rows of the status line: 1, or up to 8 for a long message (the page above yields, not the help). */
int wizard_status_rows(const struct wizard *w);

/*
 * "<before>'<ident>'<after>" in at most width columns (before and after in
 * ASCII): a long identifier is cut, ending in term_more(), never the rest.
 */
void wizard_title_quoted(char *out, size_t outlen, const char *before, const char *ident, const char *after,
                         int width);

/* The first of the two rows of a field's help: above the status line (one row or two). */
int wizard_help_y(const struct wizard *w);

/* How many rows wizard_wrap would use. */
int wizard_wrap_rows(int width, int max_rows, const char *text);

/* The pages: draw, and take a key (ch as term_getkey gave it). */
void page_form_draw(struct wizard *w);
void page_form_key(struct wizard *w, int type, wint_t ch, struct secbuf *paste);
/* Typing paused: the focused field's message shows from now on (validation as typed). */
void page_form_pause(struct wizard *w);
/* A character typed was refused (term_char_refused): a secret's value, which is not seen, is not what was typed. */
void page_form_refused(struct wizard *w);
/* What a secret's value that lost a character typed says, in a field or a box asking for one. */
#define WIZARD_LOST_MSG "a character typed was not taken, so this is not what you typed: Ctrl-U clears it, to " \
	"type it again"
void page_review_draw(struct wizard *w);
void page_review_key(struct wizard *w, int type, wint_t ch);
void page_check_start(struct wizard *w);
void page_check_draw(struct wizard *w);
void page_check_key(struct wizard *w, int type, wint_t ch);
/* The CA file the test trusts: given on the test page (C), else with --ca-file; "" when none, or when
 * the test speaks no TLS (SSH without the API). */
const char *page_check_ca_file(const struct wizard *w);

/* F3: make an RSA key into the SSH key field; F4: use a stored secret for field id. */
void secret_tools_generate_key(struct wizard *w);
void secret_tools_pick(struct wizard *w, enum field_id id);

/* Dialogs over the page: a yes/no question (true: yes), a help text, a passphrase. */
bool dialog_confirm(struct wizard *w, const char *title, const char *question);
/*
 * The same question, telling n apart from Esc (DIALOG_QUIT) and Ctrl-C (DIALOG_CTRL_C); keys: the
 * footer, when Esc means more than "no" (NULL: "y yes   n no", and any other key is a no). Keys
 * typed before the box shows are dropped: text typed on the page is never an answer.
 */
enum dialog_answer { DIALOG_NO, DIALOG_YES, DIALOG_QUIT, DIALOG_CTRL_C };
enum dialog_answer dialog_ask(struct wizard *w, const char *title, const char *question, const char *keys);
void dialog_help(struct wizard *w, struct wizard_item it);
/* A choice among n lines (Up/Down, Enter) starting on line at: its index, or -1 (Esc). */
int dialog_pick(struct wizard *w, const char *title, const char *const *items, size_t n, size_t at);
void dialog_message(struct wizard *w, const char *title, const char *text, const char *footer, int rows);
struct secbuf *dialog_secret(void *wizard, const char *prompt, size_t max);
/* A path asked in a dialog (Tab completes it), starting from out's text, into out; false when cancelled (Esc). */
bool dialog_path(struct wizard *w, const char *title, const char *prompt, char *out, size_t outlen);

#endif
