/* JSON text as the program writes it (connector files, export, --json). */
#ifndef AZ_JSON_H
#define AZ_JSON_H

#include <cjson/cJSON.h>

/* cJSON_Print of tree plus a final newline (malloc'ed; NULL when out of memory). */
char *json_print(const cJSON *tree);

#endif
