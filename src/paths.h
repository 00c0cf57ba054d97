/* Where azrepos-connect keeps its files (DESIGN.md §3). */
#ifndef AZ_PATHS_H
#define AZ_PATHS_H

#include <stdio.h>

struct az_paths {
	char *connectors_dir; /* <config>/connectors */
	char *data_dir;       /* folder of the store and known_hosts */
	char *store;          /* <data>/secrets.store */
	char *known_hosts;    /* <data>/known_hosts */
	char *state_dir;      /* folder of the drafts */
	char *draft;          /* <state>/draft.json */
};

/*
 * Resolve the paths. home (from --home) wins over $AZREPOS_CONNECT_HOME, which
 * wins over the XDG variables ($XDG_CONFIG_HOME, $XDG_DATA_HOME, $XDG_STATE_HOME,
 * relative values ignored as the XDG spec says) and their ~/.config,
 * ~/.local/share, ~/.local/state defaults. Nothing is created.
 * Returns 0, or -1 after a message on err (no HOME, relative --home, no memory).
 */
int paths_init(struct az_paths *paths, const char *home, FILE *err);
void paths_free(struct az_paths *paths);

/* The draft of an edit of connector id: <state>/edit-<id>.json (malloc'ed; NULL: out of memory). */
char *paths_edit_draft(const struct az_paths *paths, const char *id);

/*
 * The lock file that goes with path, never removed while in use: <path>.lock (the store's, a
 * draft's; malloc'ed, NULL: out of memory).
 */
char *paths_lock_file(const char *path);

/* mkdir -p with mode 0700 for every folder it creates. 0 or -1 with errno set. */
int paths_mkdir(const char *dir);

#endif
