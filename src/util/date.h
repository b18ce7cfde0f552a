/*
 * date.h - civil dates: YYYY-MM-DD checked, and turned into day numbers
 * (days since 1970-01-01) and back, for the readers, the store and scoring.
 */
#ifndef RADAR_DATE_H
#define RADAR_DATE_H

#include <stddef.h>

/* Is s[0..len) a real date YYYY-MM-DD with a year from RADAR_MIN_YEAR to
 * RADAR_MAX_YEAR (limits.h)? Only len bytes are read. (Declared in
 * radar/article.h too, for the front ends.) */
int radar_date_valid(const char *s, size_t len);

/* Days since 1970-01-01 of YYYY-MM-DD (its first ten bytes), or -1 when d is
 * NULL or not a valid date. */
long radar_day_number(const char *d);

/* YYYY-MM-DD for a day number: the inverse of radar_day_number. */
void radar_civil_date(long day, char out[64]);

#endif
