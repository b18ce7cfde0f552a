/*
 * identity.h - whether two written names can be one player, by the names
 * alone (the store adds what the articles say: ages and clubs).
 *
 * Names are compared as the store keys them (radar_store_name_key: folded,
 * lower case, words separated by single spaces). The variants of first names
 * and the nicknames come from data/lexicon/names.txt, compiled in.
 */
#ifndef RADAR_IDENTITY_H
#define RADAR_IDENTITY_H

#include <stddef.h>

/* How well two names fit, best first; ID_APART when they are two men. */
enum {
    ID_APART = -1,
    ID_SURNAME = 3, /* one is the other's surname: "Kolo Muani", "Randal Kolo Muani" */
    ID_SLIP = 5,    /* an initial or a slip of one letter: "T Alexander-Arnold", "Bryan Brobbey" */
    ID_PREFIX = 6,  /* a first name cut short: "Josh King", "Joshua King" */
    ID_VARIANT = 7, /* first names that are one name: "Mo Salah", "Mohamed Salah" */
    ID_MIDDLE = 8,  /* a middle name more or less: "Erling Haaland", "Erling Braut Haaland" */
    ID_SAME = 10
};

/* How well name key `a` and name key `b` can be one man (ID_*). */
int radar_identity_names(const char *a, const char *b);

/* The name key a nickname stands for, written to out ("kvara" ->
 * "khvicha kvaratskhelia"); any other key is copied as it is. */
void radar_identity_canonical(const char *key, char *out, size_t cap);

/* Whether two first names are one name by names.txt (both folded). */
int radar_identity_given_variants(const char *a, size_t na, const char *b, size_t nb);

#endif
